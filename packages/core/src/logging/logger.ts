import { formatLogLine } from './format.js';
import { describeCounts, LogWindow } from './log-window.js';

/**
 * Where the SDK writes what it has to say. Pass your own (pino, winston, a framework's
 * logger: anything with these four methods); the adapters pass their framework's logger.
 * The SDK never writes secrets, signatures or bodies to it.
 */
export interface PasisLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const noop = () => {};

/**
 * Process warnings the default logger writes per window, before it only counts them.
 *
 * @example
 * DEFAULT_LOGGER_LIMIT; // 20 process warnings per DEFAULT_LOGGER_WINDOW_MS
 */
export const DEFAULT_LOGGER_LIMIT = 20;
/**
 * The default logger's window: one minute.
 *
 * @example
 * DEFAULT_LOGGER_WINDOW_MS / 1000; // 60 seconds
 */
export const DEFAULT_LOGGER_WINDOW_MS = 60_000;

/** Seams of {@link createProcessWarningLogger}, for tests. */
export interface ProcessWarningSeams {
  emit: (message: string, options: { code: string }) => void;
  now: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/**
 * The default logger's machinery: quiet for debug and info; warnings and errors become
 * process warnings, at most {@link DEFAULT_LOGGER_LIMIT} a minute, then one summary a minute
 * with how many were held back. Not exported from the package.
 *
 * @example
 * const logger = createProcessWarningLogger({ emit: (m, o) => warnings.push([o.code, m]), now: clock.now });
 */
export function createProcessWarningLogger(seams: ProcessWarningSeams): PasisLogger {
  const window = new LogWindow({
    limit: DEFAULT_LOGGER_LIMIT,
    windowMs: DEFAULT_LOGGER_WINDOW_MS,
    now: seams.now,
    setTimer: seams.setTimer,
    summarize: (held, byLevel) =>
      seams.emit(
        `Pasis: ${held} more warnings and errors within ${DEFAULT_LOGGER_WINDOW_MS / 1000} s were not shown ` +
          `(${describeCounts(byLevel)}); pass a logger (pino, console, your framework's) to see every line.`,
        { code: 'PASIS_WARNING' },
      ),
  });
  return {
    debug: noop,
    info: noop,
    // The fields and an error's stack go into the text: a process warning has nowhere else to put them.
    warn: (message, meta) => {
      if (window.admit('warn')) seams.emit(formatLogLine(message, meta), { code: 'PASIS_WARNING' });
    },
    error: (message, meta) => {
      if (window.admit('error')) seams.emit(formatLogLine(message, meta), { code: 'PASIS_ERROR' });
    },
  };
}

/**
 * The default logger: quiet for debug and info; warnings and errors become Node process
 * warnings (`process.emitWarning`), so a misconfiguration is visible without the library
 * ever writing to the console itself. Each line carries its fields (`deliveryId=…`) and, for
 * a failure, the error's stack and causes. Bounded: at most 20 a minute, then one summary line
 * a minute with the count held back, so a burst (forged deliveries, a failing store) cannot
 * flood the process's stderr.
 *
 * @example
 * createWebhookHandler({ secret, on, logger: pino() }); // replace the default
 */
export const defaultLogger: PasisLogger = createProcessWarningLogger({
  emit: (message, options) => process.emitWarning(message, options),
  now: Date.now,
});

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: PasisLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** Whether `value` has the four methods of a {@link PasisLogger} (pino, winston, console, …). */
export function isPasisLogger(value: unknown): value is PasisLogger {
  const logger = value as Record<string, unknown> | null | undefined;
  return (
    typeof logger === 'object' &&
    logger !== null &&
    ['debug', 'info', 'warn', 'error'].every((method) => typeof logger[method] === 'function')
  );
}
