/** Checks of the reconciler's option values: each mistake a `config_error` naming the fix. */
import { CORE_PACKAGE, configError } from '../config.js';
import { defaultLogger, type PasisLogger } from '../logging/logger.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import type { SessionsSource } from './types.js';

/** An integer option from 1 to `max`, or `fallback` when left out. */
export function integer(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw configError(
      CORE_PACKAGE,
      `createReconciler: ${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
    );
  }
  return value;
}

/** A duration option in ms (`min` 0 or 1), or `fallback` when left out. */
export function milliseconds(
  where: string,
  name: string,
  value: unknown,
  fallback: number,
  min: 0 | 1,
): number {
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

/** Whether `value` has a function at `path` (`['checkout', 'sessions', 'retrieve']`). */
export function hasFunction(value: unknown, path: string[]): boolean {
  let at: unknown = value;
  for (const key of path) at = (at as Record<string, unknown> | null | undefined)?.[key];
  return typeof at === 'function';
}

/** The `logger` option: a complete `PasisLogger`, or `defaultLogger` when left out. */
export function resolveLogger(value: unknown): PasisLogger {
  if (value === undefined) return defaultLogger;
  const complete = ['debug', 'info', 'warn', 'error'].every((m) => hasFunction(value, [m]));
  if (!complete)
    throw configError(
      CORE_PACKAGE,
      'createReconciler: logger must have debug, info, warn and error methods.',
    );
  return value as PasisLogger;
}

/** Fastest `maxRequestsPerSecond` accepted: far beyond any provider's limit. */
const MAX_PER_SECOND = 10_000;

/** `maxRequestsPerSecond`: a number from 0.1 to 10,000, or `Infinity` (no ceiling) when left out. */
export function perSecond(value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.1 || value > MAX_PER_SECOND) {
    throw configError(
      CORE_PACKAGE,
      `createReconciler: maxRequestsPerSecond must be a number of retrieves per second from 0.1 to ${MAX_PER_SECOND} (leave it out for no ceiling), got ${String(value)}.`,
    );
  }
  return value;
}

/** `sessions`: a function returning a list, or `{ page }` for a paged source. */
export function resolveSessions(value: unknown): SessionsSource {
  if (typeof value === 'function' || hasFunction(value, ['page'])) return value as SessionsSource;
  throw configError(
    CORE_PACKAGE,
    'createReconciler: sessions must be a function returning the session ids the app still considers open, or { page: ({ after, limit }) => rows } to read them a page at a time.',
  );
}
