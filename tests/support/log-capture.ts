import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import type { PasisLogger } from '@pasis/core';

/**
 * Everything a shop logs, through each of its loggers: the `PasisLogger` it is given, Fastify's
 * pino (a stream) and Nest's logger. Each line is kept as `util.inspect` prints it (an error's
 * message, stack and own fields, such as body-parser's raw `body`), so that a test can search
 * the logs for what must never be in them.
 */
/** Nest's `LoggerService`, structurally (the tests do not depend on @nestjs/common). */
export type NestLoggerLike = Record<
  'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal',
  (message: unknown, ...rest: unknown[]) => void
>;

export interface LogCapture {
  logger: PasisLogger;
  /** For pino: `{ level: 'trace', stream }`. */
  stream: Writable;
  nest: NestLoggerLike;
  lines: string[];
  /** Every line so far, one per line. */
  text(): string;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const keep = (...values: unknown[]) => {
    lines.push(values.map((v) => inspect(v, { depth: 8, breakLength: Number.POSITIVE_INFINITY })).join(' '));
  };
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) =>
    keep(level, message, meta);
  const nestAt =
    (level: string) =>
    (message: unknown, ...rest: unknown[]) =>
      keep(level, message, ...rest);
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    stream: new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    }),
    nest: {
      log: nestAt('log'),
      error: nestAt('error'),
      warn: nestAt('warn'),
      debug: nestAt('debug'),
      verbose: nestAt('verbose'),
      fatal: nestAt('fatal'),
    },
    text: () => lines.join('\n'),
  };
}
