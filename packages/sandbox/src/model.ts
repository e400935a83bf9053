import type { SessionStatus } from '@pasis/core';

/** An application registered with the sandbox (CONTRACT §4). */
export interface SandboxApp {
  app_id: string;
  name: string;
  callback_url: string;
  return_url: string;
  webhook_secret: string;
  verified: boolean;
  approved_numbers: string[];
  created_at: string;
}

/** One item as the sandbox keeps it (wire spelling). */
export interface SandboxItem {
  name: string;
  Amount: number;
}

/** A checkout session and how it ended. */
export interface SandboxSession {
  session_id: string;
  app_id: string;
  email: string;
  items: SandboxItem[];
  amount: number;
  status: 'open' | SessionStatus;
  payment_link: string;
  created_at: string;
  completed_at?: string;
  phone?: string;
  /** While the payer's phone shows the prompt: the session stays `open` until it ends. */
  approval?: PendingApproval;
}

/** Every status of a {@link SandboxSession}, in the order the dashboard offers them. */
export const SESSION_STATUSES: readonly SandboxSession['status'][] = ['open', 'success', 'cancelled'];

/**
 * A payment awaiting approval on the payer's phone (CONTRACT §4, the number that never
 * answers): when `expires_at` passes, the session ends `cancelled` and its webhook goes out
 * with the behaviour chosen at Pay. Kept with the session, so a restarted sandbox still ends
 * it at its deadline.
 */
export interface PendingApproval {
  /** The payer's number, as typed. */
  phone: string;
  /** When the prompt expires (ISO 8601, to the millisecond). */
  expires_at: string;
  webhook: WebhookBehaviour;
  /** For `delay`. */
  delay_ms?: number;
}

/** How long the payer's phone shows the prompt by default: 5 minutes, as MTN MoMo and Airtel Money. */
export const DEFAULT_APPROVAL_WINDOW_MS = 300_000;

/**
 * What the sandbox does with a finished session's webhook (CONTRACT §4): `deliver` (retried
 * until 2xx), `lose` (never sent), `duplicate` (sent twice at the same moment, one
 * `webhook-id`), `delay` (the first attempt waits `delay_ms`).
 */
export type WebhookBehaviour = 'deliver' | 'lose' | 'duplicate' | 'delay';

/** Every {@link WebhookBehaviour}, in the order the hosted page offers them. */
export const WEBHOOK_BEHAVIOURS: readonly WebhookBehaviour[] = ['deliver', 'lose', 'duplicate', 'delay'];

/** The wait of `delay` when the request names none: 30 s (CONTRACT §4). */
export const DEFAULT_WEBHOOK_DELAY_MS = 30_000;

/**
 * Why an attempt was made: the `first` send (a `duplicate` delivery adds a `duplicate` copy
 * beside it), a `retry` on the schedule, or a `redeliver` asked for by a person or a test.
 */
export type AttemptReason = 'first' | 'duplicate' | 'retry' | 'redeliver';

/** The receiver's answer to one attempt, as far as the sandbox read it. */
export interface AttemptResponse {
  headers: Record<string, string>;
  /** The first {@link RESPONSE_BODY_LIMIT} bytes of the body, as UTF-8 text. */
  body: string;
  /** Whether the body was longer than what was kept. */
  body_truncated: boolean;
}

/** How many bytes of a receiver's answer each attempt keeps: 4 KiB. */
export const RESPONSE_BODY_LIMIT = 4096;

/** One attempt at delivering an event: what was sent, and what came back. */
export interface DeliveryAttempt {
  /** 1, 2, 3…: the order in which attempts started. */
  attempt: number;
  reason: AttemptReason;
  at: string;
  /** The exact request: headers (the signature included: this is your own sandbox) and body. */
  request: { headers: Record<string, string>; body: string };
  /** The receiver's HTTP status, when it answered. */
  status_code?: number;
  response?: AttemptResponse;
  /** The network error (`ECONNREFUSED`, `TimeoutError`, `sandbox_closed`…), when there was one. */
  error?: string;
  duration_ms: number;
}

/** Where a delivery stands: `lost` is the `lose` behaviour's "lost on purpose". */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'lost';

/** Every {@link DeliveryState}, in the order the dashboard offers them. */
export const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'failed', 'lost'];

/** One event and every attempt to deliver it. */
export interface SandboxDelivery {
  id: string;
  webhook_id: string;
  app_id: string;
  session_id: string;
  event: Record<string, unknown>;
  url: string;
  behaviour: WebhookBehaviour;
  /** The wait before the first attempt, for `delay`. */
  delay_ms?: number;
  /** The delivery this one re-sends under a fresh `webhook-id` (redeliver with `new_id`). */
  redelivery_of?: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** When the next attempt is due (a retry, or the delayed first attempt). */
  next_retry_at?: string;
  created_at: string;
}

/** An `Idempotency-Key` seen by initiate: the request's fingerprint and the session it made. */
export interface IdempotencyRecord {
  fingerprint: string;
  session_id: string;
}

/** A time as the provider writes it: ISO 8601 in UTC, to the second (`2025-09-11T09:00:00Z`). */
export function isoSeconds(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
