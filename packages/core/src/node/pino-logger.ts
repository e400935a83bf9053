import type { PasisLogger } from '../logging/logger.js';

/**
 * A pino-style logger, as Fastify gives one (`app.log`, `request.log`): the fields first,
 * then the message.
 */
export interface PinoLikeLogger {
  debug(meta: Record<string, unknown>, message: string): void;
  info(meta: Record<string, unknown>, message: string): void;
  warn(meta: Record<string, unknown>, message: string): void;
  error(meta: Record<string, unknown>, message: string): void;
}

/**
 * pino serializes an Error (type, message, stack, cause) only under its error key, `err`; under
 * core's `error` it would be written as `{}` (an Error has no enumerable properties).
 */
function withErr(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  if (meta === undefined) return {};
  if (meta.error === undefined) return meta;
  const { error, ...rest } = meta;
  return { ...rest, err: error };
}

/**
 * Core's logger interface over a pino-style one: `(message, meta)` → `(meta, message)`.
 * A class, so that wrapping `request.log` on every delivery costs one small object.
 */
class PinoBridge implements PasisLogger {
  constructor(private readonly log: PinoLikeLogger) {}
  debug(message: string, meta?: Record<string, unknown>) {
    this.log.debug(meta ?? {}, message);
  }
  info(message: string, meta?: Record<string, unknown>) {
    this.log.info(meta ?? {}, message);
  }
  warn(message: string, meta?: Record<string, unknown>) {
    this.log.warn(withErr(meta), message);
  }
  error(message: string, meta?: Record<string, unknown>) {
    this.log.error(withErr(meta), message);
  }
}

/**
 * Core's logger over a pino-style framework logger (Fastify's `app.log` or `request.log`,
 * pino itself), so that Pasis's lines carry the framework's request id and settings.
 *
 * @example
 * createWebhookHandler({ secret, logger: fromPinoLogger(app.log) });
 */
export function fromPinoLogger(log: PinoLikeLogger): PasisLogger {
  return new PinoBridge(log);
}

/**
 * Whether a pino-style logger writes anywhere: Fastify's logger when it was turned off
 * (the default, and Nest's default on platform-fastify) has no `level` and drops every line.
 *
 * @example
 * const logger = isLoggerOn(app.log) ? undefined : myFallback; // undefined: use request.log
 */
export function isLoggerOn(log: unknown): boolean {
  const level = (log as { level?: unknown } | null | undefined)?.level;
  return typeof level === 'string' && level !== 'silent';
}
