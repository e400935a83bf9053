import type { WebhookErrorCode } from '../errors.js';
import type { ReceiveResult, WebhookResponse } from './receiver-types.js';

/**
 * THE status table: every outcome of receiving a webhook, and the one HTTP status each is
 * answered with. Every adapter answers from here, so they cannot disagree.
 *
 * Never 3xx (senders do not follow redirects) and never 410 (senders disable endpoints
 * that answer 410). A 5xx, 408 or 409 means "retry later"; any other 4xx means the
 * delivery itself is bad and retrying it unchanged cannot help.
 */
export const WEBHOOK_ERROR_STATUS = {
  missing_header: 400,
  malformed_id: 400,
  malformed_timestamp: 400,
  invalid_json: 400,
  invalid_event: 400,
  malformed_signature: 401,
  no_matching_signature: 401,
  timestamp_too_old: 401,
  timestamp_too_new: 401,
  body_too_large: 413,
  // The request stream failed while being read (the sender went away): nothing to verify.
  body_unreadable: 400,
  // The body did not arrive within `bodyTimeoutMs` (a trickle holding the connection). 408
  // says "send it again", which a genuine sender that was merely slow should do.
  body_timeout: 408,
  in_progress: 409,
  // Confirm-by-fetch (webhooks/confirm.ts): Pasis's own answer (§1b) contradicts the
  // delivery. 422, not 400: the body is well formed, its claim is false, and sending it
  // again unchanged cannot make it true. Not 404, which some senders read as "endpoint gone".
  unknown_session: 422,
  session_open: 422,
  outcome_mismatch: 422,
  handler_failed: 500,
  body_already_parsed: 500,
  store_unavailable: 503,
  // Confirm-by-fetch could not ask Pasis (down, rate limited, a timeout): the delivery may
  // well be genuine, so the sender is told to retry, exactly as when the store is down.
  pasis_unavailable: 503,
  // Confirm-by-fetch already has `confirmMaxInFlight` retrieves in flight: answered at once
  // rather than queued, so no delivery waits behind a flood of others.
  confirm_busy: 503,
} as const satisfies Record<WebhookErrorCode, number>;

/** Seconds a sender should wait before retrying a delivery that is in progress elsewhere. */
export const IN_PROGRESS_RETRY_AFTER_SEC = 5;

/**
 * The codes answered with `Retry-After`, and the seconds sent when the cause gave none (for
 * `pasis_unavailable`, Pasis's own `Retry-After` is passed on when it sent one).
 */
export const RETRY_AFTER_SEC: Readonly<Partial<Record<WebhookErrorCode, number>>> = Object.freeze({
  in_progress: IN_PROGRESS_RETRY_AFTER_SEC,
  pasis_unavailable: 5,
  confirm_busy: 1,
});

/** How a delivery that was accepted ended. */
export type AcceptedOutcome = 'handled' | 'duplicate' | 'ignored';

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
});
const retryHeaders = (seconds: number): Readonly<Record<string, string>> =>
  Object.freeze({ ...JSON_HEADERS, 'retry-after': String(seconds) });
// The default answers' headers, built once.
const DEFAULT_RETRY_HEADERS = new Map(
  Object.entries(RETRY_AFTER_SEC).map(([code, seconds]) => [code, retryHeaders(seconds as number)]),
);
// The three accepted bodies never change: built once, not on every delivery.
const ACCEPTED_BODIES: Record<AcceptedOutcome, string> = {
  handled: '{"ok":true,"outcome":"handled"}',
  duplicate: '{"ok":true,"outcome":"duplicate"}',
  ignored: '{"ok":true,"outcome":"ignored"}',
};

/** The 200 answer for an accepted delivery. */
export function acceptedResponse(outcome: AcceptedOutcome): WebhookResponse {
  return { status: 200, headers: JSON_HEADERS, body: ACCEPTED_BODIES[outcome] };
}

function headersFor(code: WebhookErrorCode, retryAfterMs: number | undefined) {
  const fixed = DEFAULT_RETRY_HEADERS.get(code);
  if (fixed === undefined) return JSON_HEADERS;
  if (code === 'in_progress' || retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return fixed;
  // Whole seconds, at least 1: "0" would invite an immediate retry into the same refusal.
  return retryHeaders(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/**
 * The answer for a failed delivery: the table's status and `{ ok: false, error }`, with
 * `Retry-After` for the codes in {@link RETRY_AFTER_SEC} (`retryAfterMs`, when the cause
 * gave one, rounded up to whole seconds). The message is one of the SDK's own fixed texts:
 * never the secret, a signature or a stack.
 *
 * @example
 * errorResponse('pasis_unavailable', 'Pasis could not be asked.', 30_000); // 503, Retry-After: 30
 */
export function errorResponse(
  code: WebhookErrorCode,
  message: string,
  retryAfterMs?: number,
): WebhookResponse {
  return {
    status: WEBHOOK_ERROR_STATUS[code],
    headers: headersFor(code, retryAfterMs),
    body: JSON.stringify({ ok: false, error: { code, message } }),
  };
}

/**
 * The HTTP status a result is answered with: 200 when accepted, else the table's.
 *
 * @example
 * resultStatus({ ok: false, code: 'store_unavailable', message }); // 503
 */
export function resultStatus(result: ReceiveResult): number {
  return result.ok ? 200 : WEBHOOK_ERROR_STATUS[result.code];
}

/** The wire answer for what running a delivery came to. */
export function receiveResponse(result: ReceiveResult): WebhookResponse {
  return result.ok
    ? acceptedResponse(result.outcome)
    : errorResponse(result.code, result.message, result.retryAfterMs);
}
