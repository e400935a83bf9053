/**
 * The answer to a retrieve (CONTRACT §1b): the provider's own record of a session, the
 * authority on its outcome. Checked by hand on the hot path, by zod only to explain a
 * rejection, as the create answer is (wire.ts).
 */

import { isPlainObject } from '../util/is-plain-object.js';
import { lazySchema } from '../util/lazy-zod.js';
import { isHttpUrl, withNormalLink } from './wire.js';

/**
 * Where a checkout session stands at Pasis: `open` until the customer finished, then
 * `success` or `cancelled` for good (a session ends once).
 *
 * @example
 * const status: CheckoutSessionStatus = (await pasis.checkout.sessions.retrieve(id)).status;
 */
export type CheckoutSessionStatus = 'open' | 'success' | 'cancelled';

/**
 * A checkout session as Pasis reports it now (CONTRACT §1b). Only what the SDK relies on is
 * required (`session_id`, `amount`, `status`); the other documented fields are checked when
 * present, and unknown extra fields are kept, so a newer provider field is readable before
 * the SDK knows its name.
 *
 * @example
 * const session: RetrievedCheckoutSession = await pasis.checkout.sessions.retrieve('sess_12345');
 * if (session.status === 'success') await orders.markPaid(session.session_id, session.amount);
 */
export interface RetrievedCheckoutSession {
  /** The provider's id; always the one that was asked for. */
  session_id: string;
  /** The session's total in RWF (a non-negative integer: RWF has no minor unit). */
  amount: number;
  /** `open`, `success` or `cancelled`. */
  status: CheckoutSessionStatus;
  /** Where the customer pays (an http(s) URL), when Pasis sends it. */
  payment_link?: string;
  /** ISO 8601 timestamp of the creation, when Pasis sends it. */
  created_at?: string;
  /** ISO 8601 timestamp of the end; present once the status is not `open`. */
  completed_at?: string;
  /** Fields the provider may add later. */
  [field: string]: unknown;
}

/**
 * The rules for a retrieve answer; the source of every `invalid_response` explanation.
 * The bounds of `session_id` and `amount` are the events' own (events/schemas.ts), so an
 * answer always makes a valid `session:processed` event.
 */
export const retrievedSessionSchema = lazySchema((z) =>
  z.looseObject({
    session_id: z.string().min(1).max(255),
    amount: z.number().int().nonnegative(),
    status: z.enum(['open', 'success', 'cancelled']),
    payment_link: z.string().refine(isHttpUrl, { error: 'must be an http(s) URL' }).optional(),
    created_at: z.string().optional(),
    completed_at: z.string().optional(),
  }),
);

const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** The same rules as {@link retrievedSessionSchema} without zod; held to zod's verdict by a property test. */
export function isRetrievedSession(json: unknown): json is RetrievedCheckoutSession {
  if (!isPlainObject(json)) return false;
  const { session_id: id, amount, status, payment_link: link } = json;
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 255 &&
    Number.isSafeInteger(amount) &&
    (amount as number) >= 0 &&
    (status === 'open' || status === 'success' || status === 'cancelled') &&
    (link === undefined || (typeof link === 'string' && isHttpUrl(link))) &&
    isOptionalString(json.created_at) &&
    isOptionalString(json.completed_at)
  );
}

/**
 * Validates a 2xx retrieve body for the session that was asked for: the session, or what is
 * wrong with it (the caller raises `invalid_response`). An answer about another session is
 * refused: a cache or proxy in between must never settle the wrong order.
 */
export function parseRetrievedSession(
  json: unknown,
  expectedId: string,
): { session?: RetrievedCheckoutSession; problems: string[] } {
  let session: RetrievedCheckoutSession | undefined;
  if (isRetrievedSession(json)) session = json;
  else {
    const result = retrievedSessionSchema().safeParse(json);
    if (!result.success) {
      // Only the field names and zod's wording: never the values the server sent.
      return { problems: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
    }
    session = result.data as RetrievedCheckoutSession;
  }
  if (session.session_id !== expectedId) return { problems: ['session_id: not the session asked for'] };
  return { session: withNormalLink(session), problems: [] };
}
