/**
 * The webhook receiver's options, resolved and validated in one place: each option's
 * default and its check live here, as `client/options.ts` does for the client. Adapters
 * pass their users' options through untouched, so every adapter takes the same names with
 * the same defaults and the same errors.
 */
import type { PasisClient } from '../client/create-client.js';
import { CORE_PACKAGE, configError } from '../config.js';
import { createMemoryStore } from '../dedupe/memory-store.js';
import { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS, type WebhookStore } from '../dedupe/store.js';
import type { PasisError } from '../errors.js';
import { isKnownEventKind } from '../events/schemas.js';
import { defaultLogger, isPasisLogger, type PasisLogger } from '../logging/logger.js';
import { type ResolvedTelemetryOptions, resolveTelemetryOptions } from '../telemetry/source.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { DEFAULT_CONFIRM_MAX_IN_FLIGHT } from './confirming.js';
import { RENAMED, WEBHOOK_OPTION_NAMES } from './option-names.js';
import type { WebhookAdapterInfo } from './receiver-types.js';
import { resolveConfirm, resolveSecretKeys } from './trust.js';
import type {
  AnyEventHandler,
  EventHandlerMap,
  UnknownEventHandler,
  WebhookHandlerOptions,
} from './types.js';

/** Default body limit: 256 KiB, far above any Pasis event. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Default time a body may take to arrive where an adapter reads it itself (the Fastify
 * route): 10 s.
 * @example createWebhookHandler({ bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS / 2 }); // 5 s
 */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Default allowed clock difference between sender and receiver, both ways (CONTRACT §3). */
export const DEFAULT_TOLERANCE_SEC = 300;

/** Options after defaults and validation. */
export interface ResolvedWebhookOptions {
  packageName: string;
  /** The HMAC keys, decoded once; `undefined` when unsigned (`unsafeAllowUnsigned`, or `confirm` alone). */
  keys: Buffer[] | undefined;
  /** The client every event is confirmed with (`confirm`), or `undefined`. */
  confirmWith: Pick<PasisClient, 'checkout'> | undefined;
  /** Most confirm-by-fetch retrieves in flight at once. */
  confirmMaxInFlight: number;
  bodyTimeoutMs: number;
  toleranceSec: number;
  now: () => number;
  maxBodyBytes: number;
  leaseMs: number;
  doneTtlMs: number;
  store: WebhookStore<unknown>;
  on: EventHandlerMap<never> | AnyEventHandler<never> | undefined;
  onUnknownEvent: UnknownEventHandler<never> | undefined;
  logger: PasisLogger;
  rawBodyHint: string | undefined;
  /** `tracerProvider` and `meterProvider`; each `undefined` means the global one. */
  telemetry: ResolvedTelemetryOptions;
}

type Fail = (message: string) => PasisError<'config_error'>;

export { resolveSecrets } from './trust.js';

function positiveInteger(fail: Fail, name: string, value: unknown, fallback: number, max?: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > (max ?? value)) {
    const bound = max === undefined ? '' : ` up to ${max}`;
    throw fail(`${name} must be a positive integer${bound}, got ${String(value)}.`);
  }
  return value;
}

/** Validates a tolerance: a finite, non-negative number of seconds. Default 300. */
export function resolveTolerance(value: unknown, fail: Fail = (m) => configError(CORE_PACKAGE, m)): number {
  if (value === undefined) return DEFAULT_TOLERANCE_SEC;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw fail(`toleranceSec must be a non-negative number of seconds, got ${String(value)}.`);
  }
  return value;
}

/** Validates a clock option: a function returning milliseconds since the epoch. Default `Date.now`. */
export function resolveClock(value: unknown, fail: Fail = (m) => configError(CORE_PACKAGE, m)): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw fail('now must be a function returning milliseconds.');
  return value as () => number;
}

function resolveStore(fail: Fail, value: unknown): WebhookStore<unknown> {
  if (value === undefined) return createMemoryStore();
  const store = value as Record<string, unknown> | null;
  const methods = ['claim', 'complete', 'release'];
  if (
    typeof store !== 'object' ||
    store === null ||
    !methods.every((m) => typeof store[m] === 'function') ||
    (store.renew !== undefined && typeof store.renew !== 'function')
  ) {
    throw fail('store must implement claim, complete and release (a WebhookStore, e.g. createRedisStore()).');
  }
  return value as WebhookStore<unknown>;
}

function resolveOn(fail: Fail, value: unknown): ResolvedWebhookOptions['on'] {
  if (value === undefined || typeof value === 'function') return value as ResolvedWebhookOptions['on'];
  if (!isPlainObject(value)) {
    throw fail('on must be a map of event kind → handler (or handlers), or one function for every event.');
  }
  // Each entry's kind and functions are checked by the registry, which `on()` shares.
  return value as EventHandlerMap<never>;
}

/**
 * Applies the defaults and validates every option of `createWebhookHandler`; throws a
 * `config_error` naming the adapter's package on the first mistake, an unknown option
 * included (with the new name of a renamed one).
 *
 * Defaults: `secret` = `PASIS_WEBHOOK_SECRET`; `maxBodyBytes` = 262,144; `bodyTimeoutMs` =
 * 10,000; `confirmMaxInFlight` = 8; `toleranceSec` =
 * 300; `leaseMs` = 60,000; `doneTtlMs` = 7 days; `store` = a new memory store; `logger` =
 * `defaultLogger`; `now` = `Date.now`; `tracerProvider` / `meterProvider` = the global ones.
 */
export function resolveWebhookOptions(
  options: unknown,
  adapter: WebhookAdapterInfo = {},
): ResolvedWebhookOptions {
  const packageName = typeof adapter.name === 'string' && adapter.name !== '' ? adapter.name : CORE_PACKAGE;
  const fail: Fail = (message) => configError(packageName, message);
  if (options !== undefined && !isPlainObject(options)) throw fail('the webhook options must be an object.');
  const o = (options ?? {}) as WebhookHandlerOptions<unknown>;
  for (const key of Object.keys(o)) {
    if (WEBHOOK_OPTION_NAMES.has(key)) continue;
    if (isKnownEventKind(key)) {
      // The handlers map passed where the options go (the adapters' old positional argument).
      throw fail(
        `\`${key}\` is an event kind, not an option: pass handlers as \`on: { '${key}': handler }\`.`,
      );
    }
    const renamed = RENAMED[key];
    throw fail(
      `unknown webhook option \`${key}\`${renamed ? `: use ${renamed}` : ''}. ` +
        `The options are ${[...WEBHOOK_OPTION_NAMES].join(', ')}.`,
    );
  }
  if (o.logger !== undefined && !isPasisLogger(o.logger)) {
    throw fail('logger must have debug, info, warn and error methods.');
  }
  if (o.onUnknownEvent !== undefined && typeof o.onUnknownEvent !== 'function') {
    throw fail('onUnknownEvent must be a function.');
  }
  if (o.confirm !== undefined && typeof o.confirm !== 'boolean' && typeof o.confirm !== 'object') {
    throw fail('confirm must be true or { client }.');
  }
  if (o.unsafeAllowUnsigned === true && o.confirm !== undefined && o.confirm !== false) {
    throw fail('confirm already makes unsigned deliveries safe: drop unsafeAllowUnsigned.');
  }
  // Before confirm, whose client takes the same providers.
  const telemetry = resolveTelemetryOptions(o, fail);
  const confirmWith = resolveConfirm(o, adapter, fail);
  return {
    packageName,
    keys: resolveSecretKeys(
      o,
      { packageName, routeOption: typeof adapter.routeOption === 'string' ? adapter.routeOption : undefined },
      fail,
      confirmWith !== undefined,
    ),
    confirmWith,
    confirmMaxInFlight: positiveInteger(
      fail,
      'confirmMaxInFlight',
      o.confirmMaxInFlight,
      DEFAULT_CONFIRM_MAX_IN_FLIGHT,
    ),
    // A timer's longest delay: setTimeout turns longer ones into 1 ms.
    bodyTimeoutMs: positiveInteger(
      fail,
      'bodyTimeoutMs',
      o.bodyTimeoutMs,
      DEFAULT_BODY_TIMEOUT_MS,
      2_147_483_647,
    ),
    toleranceSec: resolveTolerance(o.toleranceSec, fail),
    now: resolveClock(o.now, fail),
    maxBodyBytes: positiveInteger(fail, 'maxBodyBytes', o.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    leaseMs: positiveInteger(fail, 'leaseMs', o.leaseMs, DEFAULT_LEASE_MS),
    doneTtlMs: positiveInteger(fail, 'doneTtlMs', o.doneTtlMs, DEFAULT_DONE_TTL_MS),
    store: resolveStore(fail, o.store),
    on: resolveOn(fail, o.on),
    onUnknownEvent: o.onUnknownEvent as UnknownEventHandler<never> | undefined,
    logger: (o.logger as PasisLogger | undefined) ?? defaultLogger,
    rawBodyHint: typeof adapter.rawBodyHint === 'string' ? adapter.rawBodyHint : undefined,
    telemetry,
  };
}
