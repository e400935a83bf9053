/**
 * What a failed retrieve means to a run: a refusal (paced, never a failure), something
 * transient (retried after a backoff, up to `maxAttempts`), a setup error (ends the run), or
 * a failure of that session alone.
 */
import { isPasisError, type PasisError } from '../errors.js';

/** First pause after a failed retrieve; it doubles with each attempt of the session. */
export const RECONCILE_BACKOFF_BASE_MS = 1_000;
/** Longest backoff pause (a `Retry-After` may ask for more, up to `maxPauseMs`). */
export const RECONCILE_BACKOFF_CAP_MS = 30_000;
/** Refusals (429) of one session within a run before it is deferred to the next run. */
export const RECONCILE_MAX_REFUSALS = 10;

/**
 * The pause before attempt `attempt + 1` of a session: exponential, with equal jitter (half
 * fixed, half random), so that it is never zero and retries of several runs spread out.
 */
export function reconcileBackoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(RECONCILE_BACKOFF_CAP_MS, RECONCILE_BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Whether Pasis may answer differently a moment later (a 5xx, a timeout, no connection).
 * Everything else about one session (a malformed answer, a bad id, a handler that threw)
 * waits for the next run.
 */
export function isTransient(error: PasisError): boolean {
  if (isPasisError(error, 'timeout', 'connection_error')) return true;
  const status = error.status ?? 0;
  return error.code === 'api_error' && (status >= 500 || status === 408);
}

/** Pasis saying "not so fast": a 429 (with or without Retry-After), or a 503 with one. */
export const isRefusal = (error: PasisError) =>
  isPasisError(error, 'rate_limited') || (error.code === 'api_error' && error.status === 429);

/** Errors about the app's setup, not about one session: every other session would fail alike. */
export const isSetupError = (error: PasisError) => isPasisError(error, 'unknown_app', 'config_error');
