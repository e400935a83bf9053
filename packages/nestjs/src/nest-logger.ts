import { Logger } from '@nestjs/common';
import type { PasisLogger } from '@pasis/core';

/** Core's logger interface over Nest's `Logger` (context `Pasis`). */
export function nestPasisLogger(logger = new Logger('Pasis')): PasisLogger {
  const line = (message: string, meta?: Record<string, unknown>) => {
    if (!meta) return message;
    const { error, ...rest } = meta;
    const details = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
    // Core's failure lines already end with the error's first line; others get it here.
    const cause = error instanceof Error && !message.includes(error.message) ? `: ${error.message}` : '';
    return `${message}${details}${cause}`;
  };
  return {
    debug: (message, meta) => logger.debug(line(message, meta)),
    info: (message, meta) => logger.log(line(message, meta)),
    warn: (message, meta) => logger.warn(line(message, meta)),
    error: (message, meta) =>
      logger.error(line(message, meta), meta?.error instanceof Error ? meta.error.stack : undefined),
  };
}
