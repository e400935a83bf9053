/**
 * The retry loop around {@link sendOnce}, one for both methods. Every attempt of one call
 * sends the same bytes and the same Idempotency-Key. A POST repeats only what provably was
 * not processed, or what the server asked us to repeat; a request marked `safeToRetry` (a
 * GET) also repeats resets, timeouts and every 5xx, with the same jittered backoff.
 */
import { isPasisError, type PasisError } from '../errors.js';
import type { PasisLogger } from '../logging/logger.js';
import { type ClientCall, type ClientTelemetry, observeCall } from '../telemetry/client-call.js';
import { type OutgoingRequest, type ReadResponse, sendOnce } from './attempt.js';
import { responseError } from './response-error.js';
import {
  abortedError,
  backoffDelay,
  isGatewayStatus,
  isRetryableWhenSafe,
  needsRetryAfter,
  parseRetryAfter,
  sleep,
  wasNeverSent,
} from './retry.js';

/** Seams for tests: the random source of the jitter, the clock, and the sleep itself. */
export interface RetryInternals {
  random: () => number;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal | undefined, idempotencyKey: string | undefined) => Promise<void>;
}

/** Everything the loop needs, fixed when the client is created. */
export interface HttpConfig extends RetryInternals {
  fetch: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  logger: PasisLogger;
  /** Where each call's span and each attempt's duration go; asked once per call. */
  telemetry?: ClientTelemetry;
}

/** Production seams. */
export const defaultRetryInternals: RetryInternals = { random: Math.random, now: Date.now, sleep };

/** What to do after a failed attempt: `delayMs` undefined means "give up with `error`". */
interface Verdict {
  error: PasisError;
  delayMs?: number;
  reason: string;
}

function judgeResponse(config: HttpConfig, res: ReadResponse, req: OutgoingRequest, retry: number): Verdict {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), config.now());
  const error = responseError({
    status: res.status,
    contentType: res.headers.get('content-type'),
    body: res.body,
    retryAfterMs,
    idempotencyKey: req.idempotencyKey,
  });
  const reason = `HTTP ${res.status}`;
  // A wait longer than the caller accepts: fail now, and say how long the server asked for.
  if (retryAfterMs !== undefined && retryAfterMs > config.maxRetryAfterMs) return { error, reason };
  if (retryAfterMs !== undefined && needsRetryAfter(res.status))
    return { error, reason, delayMs: retryAfterMs };
  if (isGatewayStatus(res.status) || (req.safeToRetry && isRetryableWhenSafe(res.status))) {
    return { error, reason, delayMs: retryAfterMs ?? backoffDelay(retry, config.random) };
  }
  return { error, reason };
}

function judgeThrown(config: HttpConfig, error: unknown, req: OutgoingRequest, retry: number): Verdict {
  // sendOnce only rejects with PasisErrors; anything else is a bug worth surfacing as is.
  if (!isPasisError(error)) throw error;
  if (isPasisError(error, 'connection_error')) {
    if (wasNeverSent(error.cause)) {
      return { error, reason: 'connection not established', delayMs: backoffDelay(retry, config.random) };
    }
    // Reset or closed mid-request: maybe processed, which only a safe request may repeat.
    if (req.safeToRetry) {
      return { error, reason: 'connection lost', delayMs: backoffDelay(retry, config.random) };
    }
  }
  if (req.safeToRetry && isPasisError(error, 'timeout')) {
    return { error, reason: 'timeout', delayMs: backoffDelay(retry, config.random) };
  }
  return { error, reason: error.code };
}

/**
 * Sends `req` until a 2xx answer, a final failure, or `maxRetries` retries, then reads the
 * answer with `read` (which may throw, e.g. `invalid_response`). Rejects with a
 * {@link PasisError} for anything else. The whole call, `read` included, is one CLIENT span
 * when telemetry is on.
 */
export function sendWithRetries<T>(
  config: HttpConfig,
  req: OutgoingRequest,
  read: (res: ReadResponse) => T,
): Promise<T> {
  const call = config.telemetry && observeCall(config.telemetry, req);
  if (call === undefined) return retryLoop(config, req, undefined).then(read);
  return call.run(() => retryLoop(config, req, call).then(read));
}

async function retryLoop(
  config: HttpConfig,
  req: OutgoingRequest,
  call: ClientCall | undefined,
): Promise<ReadResponse> {
  const key = req.idempotencyKey;
  const path = req.url.pathname;
  for (let attempt = 1; ; attempt++) {
    if (req.signal?.aborted) throw abortedError(req.signal, key);
    config.logger.debug(`pasis: ${req.method} ${path} (attempt ${attempt} of ${config.maxRetries + 1})`, {
      attempt,
      idempotencyKey: key,
    });
    let verdict: Verdict;
    const sentAt = call?.now() ?? 0;
    try {
      const res = await sendOnce(config.fetch, req, config.timeoutMs);
      call?.attempt(sentAt, res.status);
      if (res.status >= 200 && res.status < 300) return res;
      verdict = judgeResponse(config, res, req, attempt - 1);
    } catch (error) {
      call?.attempt(sentAt, undefined, error);
      verdict = judgeThrown(config, error, req, attempt - 1);
    }
    if (verdict.delayMs === undefined || attempt > config.maxRetries) throw verdict.error;
    call?.retry(verdict.delayMs, verdict.error);
    config.logger.warn(
      `pasis: ${req.method} ${path} failed (${verdict.reason}); retrying in ${verdict.delayMs} ms`,
      {
        attempt,
        delayMs: verdict.delayMs,
        idempotencyKey: key,
        code: verdict.error.code,
      },
    );
    await config.sleep(verdict.delayMs, req.signal, key);
  }
}
