/** The reconciler's options: defaults and validation, every mistake a `config_error`. */
import { CORE_PACKAGE, configError } from '../config.js';
import type { PasisLogger } from '../logging/logger.js';
import { type ResolvedTelemetryOptions, resolveTelemetryOptions } from '../telemetry/source.js';
import type { ReconcileLease } from './lease.js';
import { resolveLease } from './lease-options.js';
import {
  hasFunction,
  integer,
  milliseconds,
  perSecond,
  resolveLogger,
  resolveSessions,
} from './option-checks.js';
import type { ReconcilerOptions, RunOptions, StartOptions } from './types.js';

/**
 * Default retrieves in flight at once: 4, gentle on Pasis's rate limit.
 * @example createReconciler({ client, webhooks, sessions, concurrency: DEFAULT_RECONCILE_CONCURRENCY * 2 });
 */
export const DEFAULT_RECONCILE_CONCURRENCY = 4;
/**
 * Default sessions read at a time (a paged source's `limit`, the read-ahead, a progress line): 500.
 * @example createReconciler({ client, webhooks, sessions: { page }, pageSize: DEFAULT_RECONCILE_PAGE_SIZE * 2 });
 */
export const DEFAULT_RECONCILE_PAGE_SIZE = 500;
/**
 * Default attempts per session and run after a 5xx, a timeout or a broken connection: 3.
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
const MAX_PAGE_SIZE = 10_000;

/** Options after defaults and validation. */
export interface ResolvedReconcilerOptions {
  client: ReconcilerOptions<unknown>['client'];
  webhooks: ReconcilerOptions<unknown>['webhooks'];
  sessions: ReconcilerOptions<unknown>['sessions'];
  concurrency: number;
  /** `Infinity` when none was given. */
  maxRequestsPerSecond: number;
  pageSize: number;
  maxAttempts: number;
  maxPauseMs: number;
  logger: PasisLogger;
  /** The logger handed to handlers (`ctx.logger`): only one the app chose; else the receiver's. */
  handlerLogger: PasisLogger | undefined;
  /** Its `tracerProvider` and `meterProvider`. */
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
  return {
    client: options.client,
    webhooks: options.webhooks,
    sessions: resolveSessions(options.sessions),
    concurrency: integer('concurrency', options.concurrency, DEFAULT_RECONCILE_CONCURRENCY, MAX_CONCURRENCY),
    maxRequestsPerSecond: perSecond(options.maxRequestsPerSecond),
    pageSize: integer('pageSize', options.pageSize, DEFAULT_RECONCILE_PAGE_SIZE, MAX_PAGE_SIZE),
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
    telemetry: resolveTelemetryOptions(
      { tracerProvider: options.tracerProvider, meterProvider: options.meterProvider },
      (message) => configError(CORE_PACKAGE, `createReconciler: ${message}`),
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
