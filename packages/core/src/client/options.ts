import { CORE_PACKAGE, configError, DEFAULT_BASE_URL, parseBaseUrl, readEnvDefault } from '../config.js';
import { defaultLogger, type PasisLogger } from '../logging/logger.js';
import {
  type PasisTelemetryOptions,
  type ResolvedTelemetryOptions,
  resolveTelemetryOptions,
} from '../telemetry/source.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';

/**
 * Default per-attempt timeout: 30 s.
 * @example createPasisClient({ timeoutMs: DEFAULT_TIMEOUT_MS / 3 }); // 10 s
 */
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Default number of retries after the first attempt: 2.
 * @example createPasisClient({ maxRetries: 0 }); // never retry
 */
export const DEFAULT_MAX_RETRIES = 2;
/** Highest `maxRetries` accepted: more would hammer a struggling provider. */
export const MAX_MAX_RETRIES = 10;
/**
 * Default longest `Retry-After` the client waits for before giving up: 60 s.
 * @example createPasisClient({ maxRetryAfterMs: 5_000 }); // fail fast when told to wait longer
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/**
 * Options of {@link createPasisClient}. Every one is optional; the environment is read
 * once, at construction, and only for the documented defaults. `tracerProvider` /
 * `meterProvider` (default: the global ones) receive a CLIENT span per call and
 * `http.client.request.duration`; see {@link PasisTelemetryOptions}.
 *
 * @example
 * const pasis = createPasisClient({ appId: 'app_123', timeoutMs: 10_000, logger: pino() });
 */
export interface PasisClientOptions extends PasisTelemetryOptions {
  /** Your application's id. Default: `PASIS_APP_ID`. Required one way or the other. */
  appId?: string;
  /** Default: `PASIS_BASE_URL`, else `https://checkout.pasis.rw`. Requests never leave its origin. */
  baseUrl?: string | URL;
  /** Per-attempt timeout in milliseconds, the body included. Default: 30000. */
  timeoutMs?: number;
  /** Retries of what provably was not processed (see README). Integer 0..10. Default: 2. */
  maxRetries?: number;
  /** Longest `Retry-After` worth waiting for, in ms; beyond it the call fails at once. Default: 60000. */
  maxRetryAfterMs?: number;
  /** A WHATWG `fetch`. Default: the global `fetch` (undici in Node, keep-alive reused). */
  fetch?: typeof fetch;
  /** Where debug lines and retry warnings go. Default: {@link defaultLogger}. */
  logger?: PasisLogger;
}

/** Options after defaults and validation. */
export interface ResolvedClientOptions {
  appId: string;
  baseUrl: URL;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  fetch: typeof fetch;
  logger: PasisLogger;
  telemetry: ResolvedTelemetryOptions;
}

function positiveFinite(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw configError(
      CORE_PACKAGE,
      `${name} must be a positive finite number of milliseconds (at most ${MAX_TIMER_MS}), got ${String(value)}.`,
    );
  }
  return value;
}

function resolveAppId(value: unknown): string {
  if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
    throw configError(CORE_PACKAGE, 'appId must be a non-empty string.');
  }
  const appId = (value as string | undefined)?.trim() ?? readEnvDefault('PASIS_APP_ID');
  if (appId === undefined) {
    throw configError(
      CORE_PACKAGE,
      'Missing Pasis appId: pass { appId } to createPasisClient() or set PASIS_APP_ID.',
    );
  }
  return appId;
}

function resolveMaxRetries(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_RETRIES;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_MAX_RETRIES) {
    throw configError(
      CORE_PACKAGE,
      `maxRetries must be an integer from 0 to ${MAX_MAX_RETRIES}, got ${String(value)}.`,
    );
  }
  return value;
}

function resolveFetch(value: unknown): typeof fetch {
  if (value === undefined) {
    // Looked up per call, so a fetch patched later (test interceptors) is still used.
    return (input, init) => globalThis.fetch(input, init);
  }
  if (typeof value !== 'function')
    throw configError(CORE_PACKAGE, 'fetch must be a function (a WHATWG fetch).');
  return value as typeof fetch;
}

function resolveLogger(value: unknown): PasisLogger {
  if (value === undefined) return defaultLogger;
  const logger = value as Partial<PasisLogger> | null;
  const complete = ['debug', 'info', 'warn', 'error'].every(
    (m) => typeof (logger as Record<string, unknown> | null)?.[m] === 'function',
  );
  if (!complete) throw configError(CORE_PACKAGE, 'logger must have debug, info, warn and error methods.');
  return logger as PasisLogger;
}

/** Applies the defaults and validates every option; throws `config_error` on the first bad one. */
export function resolveClientOptions(options: PasisClientOptions | undefined): ResolvedClientOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw configError(CORE_PACKAGE, 'createPasisClient() takes an options object.');
  }
  const o = options ?? {};
  const rawBaseUrl = o.baseUrl ?? readEnvDefault('PASIS_BASE_URL') ?? DEFAULT_BASE_URL;
  return {
    appId: resolveAppId(o.appId),
    baseUrl: parseBaseUrl(String(rawBaseUrl)),
    timeoutMs: positiveFinite('timeoutMs', o.timeoutMs, DEFAULT_TIMEOUT_MS),
    maxRetries: resolveMaxRetries(o.maxRetries),
    maxRetryAfterMs: positiveFinite('maxRetryAfterMs', o.maxRetryAfterMs, DEFAULT_MAX_RETRY_AFTER_MS),
    fetch: resolveFetch(o.fetch),
    logger: resolveLogger(o.logger),
    telemetry: resolveTelemetryOptions(o, (message) => configError(CORE_PACKAGE, message)),
  };
}
