/** Builds clients for tests against a fault server, with a logger that remembers. */
import type { PasisLogger } from '../../logging/logger.js';
import { type ClientInternals, createPasisClientWith } from '../create-client.js';
import type { PasisClientOptions } from '../options.js';

/** A logger that records every line, to assert on attempts and on what is never logged. */
export function recordingLogger(): PasisLogger & {
  lines: { level: string; message: string; meta?: unknown }[];
} {
  const lines: { level: string; message: string; meta?: unknown }[] = [];
  const at = (level: string) => (message: string, meta?: Record<string, unknown>) => {
    lines.push({ level, message, meta });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A client for `baseUrl` with an instant sleep (delays recorded) unless told otherwise. */
export function testClient(
  baseUrl: string,
  options: PasisClientOptions = {},
  internals: ClientInternals = {},
) {
  const delays: number[] = [];
  const logger = recordingLogger();
  const client = createPasisClientWith(
    { appId: 'app_test', baseUrl, logger, ...options },
    {
      sleep: async (ms) => {
        delays.push(ms);
      },
      ...internals,
    },
  );
  return { client, delays, logger };
}

/** The documented example params. */
export const params = {
  items: [{ name: 'Money Transfer', amount: 5000 }],
  email: 'customer@mail.com',
};

/** Awaits a promise expected to reject and returns the reason. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
