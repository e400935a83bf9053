/**
 * When a failed attempt may be sent again. The provider does not deduplicate POSTs, so for
 * a create the rule is narrow: retry only what provably was not processed, or what the
 * server itself asked us to repeat. A retrieve (GET) changes nothing on the server, so it
 * may also repeat what might have been processed: resets, timeouts and every 5xx.
 */
import { PasisError } from '../errors.js';

/** First backoff step: a retry waits a random time in [0, 500 ms · 2^n]. */
export const BACKOFF_BASE_MS = 500;
/** Longest backoff step, whatever the attempt. */
export const BACKOFF_CAP_MS = 8_000;

// Errors raised before a single byte left: the connection was never made, so the server
// cannot have seen the request. A reset or "other side closed" is NOT here: the request
// may already have been read and processed.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether a fetch rejection means the request was never sent. undici wraps the socket
 * error as `TypeError('fetch failed', { cause })`; with several addresses (happy eyeballs)
 * the cause is an AggregateError whose every member must be a connect failure.
 */
export function wasNeverSent(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause !== null && typeof cause === 'object'; depth++) {
    if (cause instanceof AggregateError && cause.errors.length > 0) {
      return cause.errors.every((e) => NOT_SENT_CODES.has(codeOf(e) ?? ''));
    }
    const code = codeOf(cause);
    if (code !== undefined) return NOT_SENT_CODES.has(code);
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** Statuses retried whether or not they carry `Retry-After`: the gateway, not Pasis, answered. */
export function isGatewayStatus(status: number): boolean {
  return status === 502 || status === 504;
}

/** Statuses retried only when they say when (`Retry-After`). */
export function needsRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Statuses a request that is safe to repeat (a GET) retries, with or without `Retry-After`:
 * a request timeout, a rate limit and every server error except 501 (the endpoint does not
 * exist: asking again cannot help).
 */
export function isRetryableWhenSafe(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501);
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP-date) into milliseconds from `now`;
 * `undefined` when absent or unreadable. A date in the past means "now" (0).
 *
 * @example
 * parseRetryAfter('1', Date.now()); // 1000
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) {
    const ms = Number(value) * 1000;
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  // Every HTTP-date form starts with a day name; Date.parse alone would read '-1' as a year.
  if (!/^[A-Za-z]{3,9},? /.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): spreads the retries of many
 * clients instead of having them return in step. `retry` counts from 0.
 *
 * @example
 * backoffDelay(0, Math.random); // somewhere in [0, 500) ms
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Waits `ms`, or rejects with `aborted` as soon as `signal` aborts (a backoff is cut short). */
export function sleep(
  ms: number,
  signal: AbortSignal | undefined,
  idempotencyKey: string | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal, idempotencyKey));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The `aborted` error: the caller's signal fired; its reason is kept as the cause. */
export function abortedError(
  signal: AbortSignal | undefined,
  idempotencyKey: string | undefined,
): PasisError<'aborted'> {
  return new PasisError('aborted', 'The checkout session request was aborted by the caller.', {
    idempotencyKey,
    cause: signal?.reason,
  });
}
