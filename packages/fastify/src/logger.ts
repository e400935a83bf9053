import type { PasisLogger } from '@pasis/core';
import type { FastifyBaseLogger } from 'fastify';

/** Core's logger interface over Fastify's (pino): `(message, meta)` → `(meta, message)`. */
export function toPasisLogger(log: FastifyBaseLogger): PasisLogger {
  return {
    debug: (message, meta) => log.debug(meta ?? {}, message),
    info: (message, meta) => log.info(meta ?? {}, message),
    warn: (message, meta) => log.warn(meta ?? {}, message),
    error: (message, meta) => log.error(meta ?? {}, message),
  };
}
