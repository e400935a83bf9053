/** The reconciler's options: defaults and validation, every mistake a `config_error`. */
import { CORE_PACKAGE, configError } from '../config.js';
import { defaultLogger, type PasisLogger } from '../logging/logger.js';
import { type ResolvedTelemetryOptions, resolveTelemetryOptions } from '../telemetry/source.js';
import type { ReconcileLease } from './lease.js';
import { resolveLease } from './lease-options.js';
import type { ReconcilerOptions, RunOptions, StartOptions } from './types.js';

/**
 * Default retrieves in flight at once: 4, gentle on Pasis's rate limit.
 * @example createReconciler({ client, webhooks, sessions, concurrency: DEFAULT_RECONCILE_CONCURRENCY * 2 });
 */
export const DEFAULT_RECONCILE_CONCURRENCY = 4;
/**
 * Default attempts per session and run after a rate limit or failure: 3.
 * @example createReconciler({ client, webhooks, sessions, maxAttempts: 1 }); // no retry within a run
 */
export const DEFAULT_RECONCILE_MAX_ATTEMPTS = 3;
/**
 * Default longest pause of a run for Pasis: 60 s.
 * @example createReconciler({ client, webhooks, sessions, maxPauseMs: DEFAULT_RECONCILE_MAX_PAUSE_MS / 2 });
 */
export const DEFAULT_RECONCILE_MAX_PAUSE_MS = 60_000;
/**
 * Default time between runs (from the end of one to the start of the next): 60 s.
 * @example reconciler.start({ everyMs: DEFAULT_RECONCILE_EVERY_MS * 5 }); // every 5 minutes
 */
export const DEFAULT_RECONCILE_EVERY_MS = 60_000;
/**
 * Default age below which a session is not asked about (its webhook is likely on its way): 60 s.
 * @example reconciler.run({ olderThanMs: DEFAULT_RECONCILE_OLDER_THAN_MS * 10 });
 */
export const DEFAULT_RECONCILE_OLDER_THAN_MS = 60_000;

const MAX_CONCURRENCY = 32;
const MAX_ATTEMPTS = 10;
// setTimeout silently turns longer delays into 1 ms, so they are refused instead.
const MAX_TIMER_MS = 2_147_483_647;

function integer(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw configError(
      CORE_PACKAGE,
      `createReconciler: ${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}

function milliseconds(where: string, name: string, value: unknown, fallback: number, min: 0 | 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    const what = min === 0 ? 'a non-negative' : 'a positive';
    throw configError(
      CORE_PACKAGE,
      `${where}: ${name} must be ${what} number of milliseconds (at most ${MAX_TIMER_MS}), got ${String(value)}.`,
    );
  }
  return value;
}

function hasFunction(value: unknown, path: string[]): boolean {
  let at: unknown = value;
  for (const key of path) at = (at as Record<string, unknown> | null | undefined)?.[key];
  return typeof at === 'function';
}

function resolveLogger(value: unknown): PasisLogger {
  if (value === undefined) return defaultLogger;
  const complete = ['debug', 'info', 'warn', 'error'].every((m) => hasFunction(value, [m]));
  if (!complete)
    throw configError(
      CORE_PACKAGE,
      'createReconciler: logger must have debug, info, warn and error methods.',
    );
  return value as PasisLogger;
}

/** Options after defaults and validation. */
export interface ResolvedReconcilerOptions {
  client: ReconcilerOptions<unknown>['client'];
  webhooks: ReconcilerOptions<unknown>['webhooks'];
  sessions: ReconcilerOptions<unknown>['sessions'];
  concurrency: number;
  maxAttempts: number;
  maxPauseMs: number;
  logger: PasisLogger;
  /** The logger handed to handlers (`ctx.logger`): only one the app chose; else the receiver's. */
  handlerLogger: PasisLogger | undefined;
  /** Its `tracerProvider` (`meterProvider` is never set: the reconciler records no metrics). */
  telemetry: ResolvedTelemetryOptions;
  /** The fleet's lease, if any. */
  lease: ReconcileLease | undefined;
  /** The `leaseMs` given; undefined: each run's default (the schedule's `everyMs`, else 60 s). */
  leaseMs: number | undefined;
}

/** Applies the defaults of `createReconciler` and validates every option. */
export function resolveReconcilerOptions(options: ReconcilerOptions<unknown>): ResolvedReconcilerOptions {
  if (typeof options !== 'object' || options === null) {
    throw configError(
      CORE_PACKAGE,
      'createReconciler() takes an options object { client, webhooks, sessions }.',
    );
  }
  if (!hasFunction(options.client, ['checkout', 'sessions', 'retrieve'])) {
    throw configError(CORE_PACKAGE, 'createReconciler: client must be a Pasis client (createPasisClient()).');
  }
  if (!hasFunction(options.webhooks, ['receive'])) {
    throw configError(
      CORE_PACKAGE,
      'createReconciler: webhooks must be a webhook receiver (createWebhookHandler()).',
    );
  }
  if (typeof options.sessions !== 'function') {
    throw configError(
      CORE_PACKAGE,
      'createReconciler: sessions must be a function returning the session ids the app still considers open.',
    );
  }
  return {
    client: options.client,
    webhooks: options.webhooks,
    sessions: options.sessions,
    concurrency: integer('concurrency', options.concurrency, DEFAULT_RECONCILE_CONCURRENCY, MAX_CONCURRENCY),
    maxAttempts: integer('maxAttempts', options.maxAttempts, DEFAULT_RECONCILE_MAX_ATTEMPTS, MAX_ATTEMPTS),
    maxPauseMs: milliseconds(
      'createReconciler',
      'maxPauseMs',
      options.maxPauseMs,
      DEFAULT_RECONCILE_MAX_PAUSE_MS,
      1,
    ),
    logger: resolveLogger(options.logger),
    handlerLogger: options.logger === undefined ? undefined : resolveLogger(options.logger),
    telemetry: resolveTelemetryOptions({ tracerProvider: options.tracerProvider }, (message) =>
      configError(CORE_PACKAGE, `createReconciler: ${message}`),
    ),
    ...resolveLease(options),
  };
}

function isOptionsObject(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null);
}

/**
 * A duration given under its name (`olderThanMs`) or its deprecated one (`olderThan`), never
 * both: the one given, with the name to say in an error.
 */
function renamed(
  where: string,
  options: Record<string, unknown>,
  name: string,
  formerName: string,
): [value: unknown, as: string] {
  const value = options[name];
  const former = options[formerName];
  if (value !== undefined && former !== undefined) {
    throw configError(
      CORE_PACKAGE,
      `${where}: ${formerName} is the former name of ${name}: pass ${name} alone.`,
    );
  }
  return former === undefined ? [value, name] : [former, formerName];
}

/** Validates the options of `run()`; `olderThan` is taken as `olderThanMs`'s former name. */
export function resolveRunOptions(options: RunOptions | undefined): {
  olderThanMs: number;
  signal?: AbortSignal;
} {
  if (!isOptionsObject(options)) throw configError(CORE_PACKAGE, 'reconciler.run() takes an options object.');
  const o = (options ?? {}) as Record<string, unknown>;
  const { signal } = options ?? {};
  if (signal !== undefined && !hasFunction(signal, ['addEventListener'])) {
    throw configError(CORE_PACKAGE, 'reconciler.run: signal must be an AbortSignal.');
  }
  const [olderThanMs, as] = renamed('reconciler.run', o, 'olderThanMs', 'olderThan');
  return {
    olderThanMs: milliseconds('reconciler.run', as, olderThanMs, DEFAULT_RECONCILE_OLDER_THAN_MS, 0),
    signal,
  };
}

/** Validates the options of `start()`; `every` and `olderThan` are taken as their former names. */
export function resolveStartOptions(options: StartOptions | undefined): {
  everyMs: number;
  olderThanMs: number;
} {
  if (!isOptionsObject(options))
    throw configError(CORE_PACKAGE, 'reconciler.start() takes an options object.');
  const o = (options ?? {}) as Record<string, unknown>;
  const [everyMs, everyAs] = renamed('reconciler.start', o, 'everyMs', 'every');
  const [olderThanMs, olderAs] = renamed('reconciler.start', o, 'olderThanMs', 'olderThan');
  return {
    everyMs: milliseconds('reconciler.start', everyAs, everyMs, DEFAULT_RECONCILE_EVERY_MS, 1),
    olderThanMs: milliseconds('reconciler.start', olderAs, olderThanMs, DEFAULT_RECONCILE_OLDER_THAN_MS, 0),
  };
}
