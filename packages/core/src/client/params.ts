import type { z } from 'zod';
import { PasisError, type PasisIssue } from '../errors.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { lazySchema } from '../util/lazy-zod.js';

/** Most items one session may carry (CONTRACT §1). */
export const MAX_ITEMS = 100;
/** Longest item name the provider accepts, in characters (CONTRACT §1). */
export const MAX_ITEM_NAME_LENGTH = 200;

/**
 * One line of a checkout: what is sold and its price in whole Rwandan francs (RWF has no
 * minor unit, so `amount: 5000` is 5,000 RWF). The wire spells it `Amount`; the SDK maps it.
 *
 * @example
 * const item: CheckoutItem = { name: 'Money Transfer', amount: 5000 };
 */
export interface CheckoutItem {
  /** Shown to the customer; 1..200 characters, not blank. */
  name: string;
  /** A positive safe integer, in RWF. */
  amount: number;
}

/**
 * What a checkout session is created from.
 *
 * @example
 * const params: CreateSessionParams = {
 *   items: [{ name: 'Money Transfer', amount: 5000 }],
 *   email: 'customer@mail.com',
 * };
 */
export interface CreateSessionParams {
  /** 1..100 items; the session's amount is their sum. */
  items: CheckoutItem[];
  /** The customer's email address. */
  email: string;
}

/**
 * The rules for {@link CreateSessionParams}; the source of every `validation_error` issue
 * (built on first use). Unknown keys are stripped, not rejected: callers often pass their
 * own product objects.
 */
export const paramsSchema = lazySchema((z) => {
  const itemSchema = z.object({
    name: z
      .string({ error: 'must be a string' })
      .max(MAX_ITEM_NAME_LENGTH, { error: `must be at most ${MAX_ITEM_NAME_LENGTH} characters` })
      .refine((name) => name.trim() !== '', { error: 'must not be empty or blank' }),
    // z.int() already refuses unsafe integers; positive because a free line is not a payment.
    amount: z
      .int({ error: 'must be an integer number of RWF (no minor unit)' })
      .positive({ error: 'must be positive' }),
  });
  return z.object({
    items: z
      .array(itemSchema, { error: 'must be an array of { name, amount }' })
      .min(1, { error: 'must contain at least one item' })
      .max(MAX_ITEMS, { error: `must contain at most ${MAX_ITEMS} items` })
      .refine((items) => Number.isSafeInteger(items.reduce((sum, item) => sum + item.amount, 0)), {
        error: 'the total amount must be a safe integer',
      }),
    email: z.email({ error: 'must be a valid email address' }),
  });
});

/**
 * zod 4's own email pattern (`z.regexes.email`, what `z.email()` checks), copied so the hot
 * path need not load zod; a test holds the two equal.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Turns zod issues into the SDK's `{ path, message }` shape (no zod types leak out). */
export function toPasisIssues(issues: readonly z.core.$ZodIssue[]): PasisIssue[] {
  return issues.map((issue) => ({
    path: issue.path.filter((key): key is string | number => typeof key !== 'symbol'),
    message: issue.message,
  }));
}

function describe(issues: PasisIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.join('.') || '(params)'} ${i.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `Invalid checkout session params: ${shown.join('; ')}${more}.`;
}

/**
 * The same rules as `paramsSchema`, checked without zod: the hot path of every create
 * (zod measured ~5% of a loopback round trip in bench/client.bench.mjs). Only when this
 * says no does zod run, to explain why; a property test (params.test.ts) holds the two to
 * the same verdict on random input.
 */
export function isValidSessionParams(input: unknown): input is CreateSessionParams {
  if (!isPlainObject(input)) return false;
  const { items, email } = input;
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_ITEMS) return false;
  let total = 0;
  for (const item of items as unknown[]) {
    if (!isPlainObject(item)) return false;
    const { name, amount } = item;
    if (typeof name !== 'string' || name.length > MAX_ITEM_NAME_LENGTH || name.trim() === '') return false;
    if (!Number.isSafeInteger(amount) || (amount as number) <= 0) return false;
    total += amount as number;
  }
  return Number.isSafeInteger(total) && typeof email === 'string' && EMAIL_PATTERN.test(email);
}

/**
 * Validates and normalises the caller's params before anything touches the network: a
 * copy holding only the known fields (unknown keys are dropped, as zod strips them).
 * Throws a `validation_error` carrying every issue zod finds.
 */
export function parseCreateSessionParams(input: unknown): CreateSessionParams {
  if (isValidSessionParams(input)) {
    return {
      items: input.items.map(({ name, amount }) => ({ name, amount })),
      email: input.email,
    };
  }
  const result = paramsSchema().safeParse(input);
  if (result.success) return result.data;
  const issues = toPasisIssues(result.error.issues);
  throw new PasisError('validation_error', describe(issues), { issues, cause: result.error });
}
