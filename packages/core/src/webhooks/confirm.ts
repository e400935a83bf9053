/**
 * Confirm-by-fetch: for a Pasis that does not sign its webhooks, the body is only a hint
 * that a session changed. What the handlers receive is rebuilt from Pasis's own answer to a
 * retrieve (CONTRACT §1b), fetched by this server: the authority on a session's outcome.
 */
import type { PasisClient } from '../client/create-client.js';
import type { RetrievedCheckoutSession } from '../client/retrieved-session.js';
import { isValidSessionId } from '../client/wire.js';
import { isPasisError, PasisError } from '../errors.js';
import { sessionCreatedEvent, sessionProcessedEvent } from '../events/from-session.js';
import type { PasisEvent, SessionCreatedEvent, SessionProcessedEvent } from '../events/types.js';

/**
 * Options of {@link confirmEvent}.
 *
 * @example
 * await confirmEvent(pasis, event, { signal: AbortSignal.timeout(10_000) });
 */
export interface ConfirmOptions {
  /** Aborts the retrieve (answered `pasis_unavailable`: the sender retries). Default: none. */
  signal?: AbortSignal;
}

// The messages are the SDK's own texts: never a value from the body, which anyone may send.
const NOT_A_SESSION_ID = "The event's session_id cannot be a Pasis session id; it was not handled.";
const UNKNOWN = 'Pasis does not know the session this event names; it was not handled.';
const OPEN = 'Pasis reports this session as still open; the event was not handled.';

/**
 * What a failed retrieve means for the event being confirmed, as a webhook code: the
 * session is unknown (422), the id cannot be one (400), or Pasis could not be asked (503,
 * with Pasis's `retryAfterMs` when it gave one). Shared by {@link confirmEvent} and the
 * receiver's confirmer, so both answer alike.
 *
 * @example
 * try { await pasis.checkout.sessions.retrieve(id); } catch (error) { throw confirmationError(error); }
 */
export function confirmationError(error: unknown): PasisError {
  if (isPasisError(error, 'unknown_session')) return new PasisError('unknown_session', UNKNOWN);
  if (isPasisError(error, 'validation_error')) return new PasisError('invalid_event', NOT_A_SESSION_ID);
  // Pasis down, rate limited, slow, or the merchant's app id wrong: the delivery may be
  // genuine, so it must be retried once Pasis can be asked (503), never dropped.
  const code = isPasisError(error) ? error.code : 'unexpected error';
  return new PasisError(
    'pasis_unavailable',
    `Pasis could not be asked to confirm this event (${code}); it will be retried.`,
    { cause: error, retryAfterMs: isPasisError(error) ? error.retryAfterMs : undefined },
  );
}

/**
 * Throws `invalid_event` for anything but the two kinds Pasis's answer can confirm, and for
 * a session id no session can have (so that Pasis is never asked about it).
 *
 * @example
 * assertConfirmable(event); // then retrieve event.session_id
 */
export function assertConfirmable(event: PasisEvent): void {
  // Checked at run time too: an unknown kind must never come back as a session:processed.
  if (event?.kind !== 'session:processed' && event?.kind !== 'session:created') {
    throw new PasisError(
      'invalid_event',
      'Only session:processed and session:created events can be confirmed.',
    );
  }
  if (!isValidSessionId(event.session_id)) throw new PasisError('invalid_event', NOT_A_SESSION_ID);
}

function mismatch(fields: string[]): PasisError<'outcome_mismatch'> {
  return new PasisError(
    'outcome_mismatch',
    `The event's ${fields.join(' and ')} ${fields.length > 1 ? 'do' : 'does'} not match Pasis's record of this session; it was not handled.`,
  );
}

/**
 * Confirms an event received without a (trusted) signature by asking Pasis (§1b), and
 * returns the event to hand the handlers: rebuilt from Pasis's answer, never from the body
 * (its extra fields are dropped; the body's `status` and `amount` are only compared).
 *
 * - `session:processed`: Pasis must report the session ended with the same status and
 *   amount; the result is {@link sessionProcessedEvent} of its answer.
 * - `session:created`: Pasis must know the session, with the same amount; the result has
 *   Pasis's `session_id`, `amount`, and `payment_link` / `created_at` when it sent them.
 *
 * Throws a {@link PasisError} with a webhook code (answered from core's status table):
 * `unknown_session`, `session_open` or `outcome_mismatch` (422: the claim is false, and
 * sending it again cannot make it true), `invalid_event` (400: an id no session can have),
 * `pasis_unavailable` (503, carrying `retryAfterMs` when Pasis gave one: the sender retries).
 * Messages never repeat a value from the body. An unknown kind cannot be confirmed (nothing
 * in it can be checked against Pasis): the caller answers it before, as `ignored`; handed
 * one anyway, this throws `invalid_event` without asking Pasis.
 *
 * @example
 * const event = await confirmEvent(pasis, parseEvent(rawBody)); // throws session_open for a forged success
 * await webhooks.receive(event, { source: 'webhook', deliveryId, confirmed: true });
 */
export async function confirmEvent(
  client: Pick<PasisClient, 'checkout'>,
  event: SessionProcessedEvent,
  options?: ConfirmOptions,
): Promise<SessionProcessedEvent>;
export async function confirmEvent(
  client: Pick<PasisClient, 'checkout'>,
  event: SessionCreatedEvent,
  options?: ConfirmOptions,
): Promise<SessionCreatedEvent>;
export async function confirmEvent(
  client: Pick<PasisClient, 'checkout'>,
  event: PasisEvent,
  options?: ConfirmOptions,
): Promise<PasisEvent>;
export async function confirmEvent(
  client: Pick<PasisClient, 'checkout'>,
  event: PasisEvent,
  options?: ConfirmOptions,
): Promise<PasisEvent> {
  assertConfirmable(event);
  let session: RetrievedCheckoutSession;
  try {
    session = await client.checkout.sessions.retrieve(event.session_id, { signal: options?.signal });
  } catch (error) {
    throw confirmationError(error);
  }
  return judgeClaim(event, session);
}

/**
 * Holds a confirmable event's claim against Pasis's answer about its session: returns the
 * event rebuilt from the answer, or throws `session_open` / `outcome_mismatch` (see
 * {@link confirmEvent}). Pure: one answer may judge every delivery that names the session.
 *
 * @example
 * const trusted = judgeClaim(event, await pasis.checkout.sessions.retrieve(event.session_id));
 */
export function judgeClaim(event: PasisEvent, session: RetrievedCheckoutSession): PasisEvent {
  const differs = session.amount !== event.amount ? ['amount'] : [];
  if (event.kind === 'session:created') {
    if (differs.length > 0) throw mismatch(differs);
    return sessionCreatedEvent(session);
  }
  const confirmed = sessionProcessedEvent(session);
  if (confirmed === undefined) throw new PasisError('session_open', OPEN);
  if (confirmed.status !== event.status) differs.unshift('status');
  if (differs.length > 0) throw mismatch(differs);
  return confirmed;
}
