import { configError } from './config-error.js';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The longest single wait the sandbox accepts: 24 hours. */
export const MAX_WAIT_MS = 24 * 3_600_000;

/**
 * Parses one duration written with its unit: `500ms`, `1s`, `2m`, `1h` (whole numbers; at
 * most 24 h). Anything else throws a `config_error` naming `what`.
 *
 * @example
 * parseDuration('5s', '--webhook-delay'); // 5000
 */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d{1,9})(ms|s|m|h)$/.exec(text.trim());
  if (!match) {
    throw configError(
      `${what}: "${text}" is not a duration; write a whole number and a unit, e.g. 500ms, 1s, 2m or 1h.`,
    );
  }
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  if (ms > MAX_WAIT_MS) throw configError(`${what}: "${text}" is longer than 24h.`);
  return ms;
}

/**
 * Parses a retry schedule: durations separated by commas (`1s,5s,30s`), or `none` for no
 * retries at all. Returns milliseconds, as `createSandbox({ retrySchedule })` takes them.
 *
 * @example
 * parseRetrySchedule('1s,5s,30s'); // [1000, 5000, 30000]
 */
export function parseRetrySchedule(text: string, what = '--retry-schedule'): number[] {
  if (text.trim() === 'none') return [];
  if (text.trim() === '')
    throw configError(`${what} is empty; write e.g. 1s,5s,30s, or none for no retries.`);
  return text.split(',').map((part, index) => {
    if (part.trim() === '') throw configError(`${what}: entry ${index + 1} of "${text}" is empty.`);
    return parseDuration(part, what);
  });
}

/**
 * Checks a wait in milliseconds given through the API (a whole number from 0 to 24 h).
 *
 * @example
 * checkWaitMs(30_000, 'webhookDelayMs'); // 30000
 */
export function checkWaitMs(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_WAIT_MS) {
    throw configError(`${what} must be a whole number of milliseconds from 0 to 86400000 (24 h).`);
  }
  return value;
}

/**
 * Writes milliseconds the way the schedule is written: `500ms`, `5s`, `2m`, `1h`, else `90500ms`.
 *
 * @example
 * formatDuration(120_000); // '2m'
 */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms >= UNITS[unit] && ms % UNITS[unit] === 0) return `${ms / UNITS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
