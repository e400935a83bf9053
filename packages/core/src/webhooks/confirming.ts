/**
 * The receiver's side of confirm-by-fetch: {@link judgeClaim} against Pasis's answer, with
 * the retrieves behind it bounded so that a flood of forged deliveries cannot be turned
 * against the merchant (their rate limit at Pasis, their server's requests). What a forger
 * controls is the body, so the session ids it names: every bound below holds whatever ids
 * they choose, and none of them lets a forgery change what a genuine delivery is told.
 */
import type { PasisClient } from '../client/create-client.js';
import type { RetrievedCheckoutSession } from '../client/retrieved-session.js';
import { isPasisError, PasisError } from '../errors.js';
import type { PasisEvent } from '../events/types.js';
import { assertConfirmable, confirmationError, judgeClaim } from './confirm.js';

/**
 * Default most retrieves in flight per receiver (`confirmMaxInFlight`): 8.
 * @example createWebhookHandler({ confirm: true, confirmMaxInFlight: DEFAULT_CONFIRM_MAX_IN_FLIGHT * 2 });
 */
export const DEFAULT_CONFIRM_MAX_IN_FLIGHT = 8;

/**
 * How long "Pasis does not know this session" (404 `unknown_session`) is remembered: 10 s.
 * Short, because a session created a moment later is real: a forger naming an id before it
 * exists costs the genuine delivery at most this long (it is answered 422 and retried).
 *
 * @example
 * clock.advance(UNKNOWN_SESSION_TTL_MS); // the next delivery naming it asks Pasis again
 */
export const UNKNOWN_SESSION_TTL_MS = 10_000;

// Bounds on what is remembered, so that a flood of fresh ids cannot grow memory: the
// oldest entries go first.
const MAX_UNKNOWN = 10_000;
const MAX_ENDED = 1_000;
// After a 429: never less than a second (a Retry-After of 0 would let every delivery
// ask again at once), never more than a minute (a proxy's wild value).
const MIN_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 60_000;

const UNKNOWN = 'Pasis does not know the session this event names; it was not handled.';
const PAUSED = 'Pasis asked for a pause in requests; this event will be confirmed when it is retried.';
const BUSY = 'Too many confirmations are in flight; this event will be confirmed when it is retried.';

/** What one retrieve came to, shared by every delivery naming its session. Never rejects. */
type Lookup = { session: RetrievedCheckoutSession; error?: undefined } | { error: PasisError };

/**
 * Options of {@link createConfirmer}.
 *
 * @example
 * const options: ConfirmerOptions = { maxInFlight: 16, now: Date.now };
 */
export interface ConfirmerOptions {
  /** Most retrieves in flight at once. Default {@link DEFAULT_CONFIRM_MAX_IN_FLIGHT}. */
  maxInFlight?: number;
  /** The clock of the caches and of a pause, in ms. Default `Date.now`. */
  now?: () => number;
}

function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key); // re-inserted last: the oldest entry is the first key
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

/**
 * Builds the receiver's confirm step: resolves with the event rebuilt from Pasis's answer,
 * or rejects with a table code. Per receiver:
 *
 * - one retrieve per session id at a time, shared by every delivery naming it, whatever
 *   status or amount each claims (each claim is then judged on its own against the answer);
 * - at most `maxInFlight` retrieves in flight; a delivery needing one more is refused at once,
 *   `confirm_busy` (503, `Retry-After: 1`): nothing queues, so nothing waits behind a flood;
 * - one attempt per retrieve, never the client's retry-and-wait: when Pasis answers 429 (or
 *   503 with `Retry-After`), that delivery is answered 503 `pasis_unavailable` with Pasis's
 *   `Retry-After` at once, and no retrieve is sent until that time has passed (deliveries
 *   meanwhile get the same answer at once): a flood costs Pasis nothing more than its limit;
 * - a session Pasis does not know is remembered for {@link UNKNOWN_SESSION_TTL_MS} (a repeat
 *   costs no retrieve); a session that has ended is remembered for good (a session ends
 *   once), so Pasis's redeliveries and any copy cost nothing. An `open` answer is never
 *   reused: a genuine delivery arrives once the session is no longer open.
 *
 * @example
 * const confirm = createConfirmer(pasis, { maxInFlight: 8 });
 * const trusted = await confirm(event); // throws session_open for a forged success
 */
export function createConfirmer(client: Pick<PasisClient, 'checkout'>, options: ConfirmerOptions = {}) {
  const maxInFlight = options.maxInFlight ?? DEFAULT_CONFIRM_MAX_IN_FLIGHT;
  const now = options.now ?? Date.now;
  const inFlight = new Map<string, Promise<Lookup>>();
  const unknownUntil = new Map<string, number>();
  const ended = new Map<string, RetrievedCheckoutSession>();
  let pausedUntil = Number.NEGATIVE_INFINITY;

  function pauseFor(error: unknown): void {
    if (!isPasisError(error)) return;
    const rateLimited = error.code === 'rate_limited';
    if (!rateLimited && error.retryAfterMs === undefined) return;
    const ms = Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, error.retryAfterMs ?? 0));
    pausedUntil = Math.max(pausedUntil, now() + ms);
  }

  async function lookup(sessionId: string): Promise<Lookup> {
    try {
      // One attempt: a retry, and above all a wait on Retry-After, would hold this request.
      const session = await client.checkout.sessions.retrieve(sessionId, { maxRetries: 0 });
      if (session.status !== 'open') remember(ended, sessionId, session, MAX_ENDED);
      return { session };
    } catch (error) {
      if (isPasisError(error, 'unknown_session')) {
        remember(unknownUntil, sessionId, now() + UNKNOWN_SESSION_TTL_MS, MAX_UNKNOWN);
      }
      pauseFor(error);
      return { error: confirmationError(error) };
    }
  }

  function judge(event: PasisEvent, result: Lookup): PasisEvent {
    if (result.error !== undefined) throw result.error;
    return judgeClaim(event, result.session);
  }

  return async function confirm(event: PasisEvent): Promise<PasisEvent> {
    assertConfirmable(event);
    const id = event.session_id;
    const known = ended.get(id);
    if (known !== undefined) return judgeClaim(event, known);
    const unknownTill = unknownUntil.get(id);
    if (unknownTill !== undefined) {
      if (now() < unknownTill) throw new PasisError('unknown_session', UNKNOWN);
      unknownUntil.delete(id);
    }
    let pending = inFlight.get(id);
    if (pending === undefined) {
      const wait = pausedUntil - now();
      if (wait > 0) throw new PasisError('pasis_unavailable', PAUSED, { retryAfterMs: wait });
      if (inFlight.size >= maxInFlight) throw new PasisError('confirm_busy', BUSY);
      pending = lookup(id).finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
    }
    return judge(event, await pending);
  };
}
