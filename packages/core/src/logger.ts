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
 * The default logger: quiet for debug and info; warnings and errors become Node process
 * warnings (`process.emitWarning`), so a misconfiguration is visible without the library
 * ever writing to the console itself.
 *
 * @example
 * createWebhookHandler({ secret, on, logger: pino() }); // replace the default
 */
export const defaultLogger: PasisLogger = {
  debug: noop,
  info: noop,
  warn: (message) => process.emitWarning(message, { code: 'PASIS_WARNING' }),
  error: (message) => process.emitWarning(message, { code: 'PASIS_ERROR' }),
};

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
