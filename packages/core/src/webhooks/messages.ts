/**
 * One message per error code: what a refused delivery is answered with, beside its status
 * (outcome.ts). Every answer of a receiver, from `handle()`, `fetch()` or `receive()`,
 * whichever reader, check or store refused it, carries its code's message from here. The
 * SDK's own fixed texts: never a value from the body, a secret, a signature or a stack.
 * Why one particular delivery was refused (which header, which field) goes to the log line
 * (`reason`), and `verifyWebhook` / `confirmEvent` throw errors that say it.
 */
import type { WebhookErrorCode } from '../errors.js';
import type { ReceiveResult } from './receiver-types.js';

type LimitCode = 'body_too_large' | 'body_timeout';

const MESSAGES = {
  missing_header:
    'A Standard Webhooks header (webhook-id, webhook-timestamp or webhook-signature) is missing.',
  malformed_id: 'The webhook-id header must be 1 to 256 visible ASCII characters.',
  malformed_timestamp: 'The webhook-timestamp header must be Unix seconds in plain digits.',
  malformed_signature: 'The webhook-signature header has no well-formed v1 entry.',
  timestamp_too_old: 'The webhook timestamp is too old (outside the tolerance).',
  timestamp_too_new: 'The webhook timestamp is in the future (outside the tolerance).',
  no_matching_signature: 'No webhook signature matches the body and the secret.',
  invalid_json: 'The webhook body is not valid JSON in UTF-8.',
  invalid_event: 'The webhook body is not a valid Pasis event.',
  body_unreadable: 'The request body could not be read.',
  body_already_parsed: 'The raw request body was consumed by another parser.',
  handler_failed: 'The event could not be handled; the delivery will be retried.',
  in_progress: 'This delivery is being handled right now; retry later.',
  store_unavailable: 'The deduplication store is unavailable; retry later.',
  unknown_session: 'Pasis does not know the session this event names; it was not handled.',
  session_open: 'Pasis reports this session as still open; the event was not handled.',
  outcome_mismatch: "The event does not match Pasis's record of this session; it was not handled.",
  pasis_unavailable: 'Pasis could not be asked to confirm this event; it will be retried.',
  confirm_busy: 'Too many confirmations are in flight; this event will be confirmed when it is retried.',
} as const satisfies Record<Exclude<WebhookErrorCode, LimitCode>, string>;

/**
 * Every code's message, for one receiver.
 *
 * @example
 * const messages: WebhookMessages = webhookMessages({ maxBodyBytes: 262_144, bodyTimeoutMs: 10_000 });
 */
export type WebhookMessages = Readonly<Record<WebhookErrorCode, string>>;

/**
 * The messages of a receiver: the fixed ones, and its two limits said with their values.
 *
 * @example
 * webhookMessages({ maxBodyBytes: 1024, bodyTimeoutMs: 300 }).body_timeout; // 'The body did not arrive within 300 ms.'
 */
export function webhookMessages(limits: { maxBodyBytes: number; bodyTimeoutMs: number }): WebhookMessages {
  return Object.freeze({
    ...MESSAGES,
    body_too_large: `The body is larger than ${limits.maxBodyBytes} bytes.`,
    body_timeout: `The body did not arrive within ${limits.bodyTimeoutMs} ms.`,
  });
}

/**
 * A refused result, as a receiver builds it: the code, its message, and `retryAfterMs` when given.
 *
 * @example
 * const refuse: Refusal = refusals(messages); refuse('pasis_unavailable', 30_000);
 */
export type Refusal = (code: WebhookErrorCode, retryAfterMs?: number) => ReceiveResult;

/**
 * Builds a receiver's refusals: `{ ok: false, code, message }` with the code's one message,
 * one frozen object per code built once (a refusal costs no allocation), and a fresh one
 * only when it carries a `retryAfterMs`.
 *
 * @example
 * const refuse = refusals(webhookMessages(limits));
 * refuse('in_progress'); // { ok: false, code: 'in_progress', message: 'This delivery is being handled…' }
 */
export function refusals(messages: WebhookMessages): Refusal {
  const fixed = new Map<WebhookErrorCode, ReceiveResult>();
  for (const code of Object.keys(messages) as WebhookErrorCode[]) {
    fixed.set(code, Object.freeze({ ok: false, code, message: messages[code] }));
  }
  return (code, retryAfterMs) =>
    retryAfterMs === undefined
      ? (fixed.get(code) as ReceiveResult)
      : { ok: false, code, message: messages[code], retryAfterMs };
}
