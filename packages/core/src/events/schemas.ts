import type { z } from 'zod';
import { lazySchema } from '../util/lazy-zod.js';
import type { PasisEventKind } from './types.js';

/**
 * The schema of each known kind, built on first use (only to explain a rejected event).
 * Loose objects: the provider may add fields at any time, and handlers may want them.
 */
export const eventSchemas = lazySchema((z) => {
  const sessionId = z.string().min(1).max(255);
  const amount = z.number().int().nonnegative();
  return {
    'session:processed': z.looseObject({
      kind: z.literal('session:processed'),
      session_id: sessionId,
      amount,
      status: z.enum(['success', 'cancelled']),
    }),
    'session:created': z.looseObject({
      kind: z.literal('session:created'),
      session_id: sessionId,
      amount,
      payment_link: z.string().optional(),
      created_at: z.string().optional(),
    }),
  } as const satisfies Record<PasisEventKind, z.ZodType>;
});

/** Every kind this SDK version knows (the keys of `eventSchemas()`, checked by a test). */
export const knownEventKinds: readonly PasisEventKind[] = Object.freeze([
  'session:processed',
  'session:created',
]);

const KNOWN = new Set<string>(knownEventKinds);

/** Whether `kind` is one this version of the SDK knows and validates. */
export function isKnownEventKind(kind: string): kind is PasisEventKind {
  return KNOWN.has(kind);
}

const isSessionId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 255;
const isAmount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
const isOptionalString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * The same rules as {@link eventSchemas}, checked without building a copy: the hot path of
 * every delivery. Only when this says no does zod run, to explain why. A property test
 * (schemas.test.ts) holds the two to the same verdict on random input.
 */
export const quickEventChecks: Record<PasisEventKind, (event: Record<string, unknown>) => boolean> = {
  'session:processed': (e) =>
    isSessionId(e.session_id) && isAmount(e.amount) && (e.status === 'success' || e.status === 'cancelled'),
  'session:created': (e) =>
    isSessionId(e.session_id) &&
    isAmount(e.amount) &&
    isOptionalString(e.payment_link) &&
    isOptionalString(e.created_at),
};

const QUICK_CHECKS = new Map(Object.entries(quickEventChecks));

/**
 * The quick check of a known kind, `undefined` for any other: one lookup on the hot path
 * instead of {@link isKnownEventKind} and then the table.
 *
 * @example
 * quickEventCheck('session:processed')?.(event); // true when the event is valid
 */
export function quickEventCheck(kind: string): ((event: Record<string, unknown>) => boolean) | undefined {
  return QUICK_CHECKS.get(kind);
}
