import type { PasisLogger } from '@pasis/core';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Core's logger interface over Fastify's (pino): `(message, meta)` → `(meta, message)`.
 * A class, so that wrapping `request.log` on every delivery costs one small object.
 */
class FastifyLogger implements PasisLogger {
  constructor(private readonly log: FastifyBaseLogger) {}
  debug(message: string, meta?: Record<string, unknown>) {
    this.log.debug(meta ?? {}, message);
  }
  info(message: string, meta?: Record<string, unknown>) {
    this.log.info(meta ?? {}, message);
  }
  warn(message: string, meta?: Record<string, unknown>) {
    this.log.warn(meta ?? {}, message);
  }
  error(message: string, meta?: Record<string, unknown>) {
    this.log.error(meta ?? {}, message);
  }
}

/** Core's logger over a Fastify logger (`app.log` or `request.log`). */
export function toPasisLogger(log: FastifyBaseLogger): PasisLogger {
  return new FastifyLogger(log);
}
