/**
 * The adapter conformance suite: every adapter must answer every delivery exactly as core
 * does, over a real server. Framework- and runner-neutral: it takes the runner's
 * `{ describe, it, beforeAll, afterAll }` (vitest's; node:test's with `before`/`after`) and
 * asserts with `node:assert/strict`. Whoever writes a fourth adapter runs it too.
 */
import type { WebhookHandlerOptions } from '../webhooks/types.js';
import { registerBehindParser } from './conformance-behind-parser.js';
import { registerDeliveries } from './conformance-deliveries.js';
import { registerRejections } from './conformance-rejections.js';
import { createSuite } from './conformance-suite.js';

/** A running adapter: a real server listening on 127.0.0.1. */
import type { ConformanceRunner } from './conformance-runner.js';

export interface ConformanceServer {
  /** The webhook's full URL, e.g. `http://127.0.0.1:43210/webhook`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the adapter with exactly these webhook options (core's: `secret`, `on`,
 * `maxBodyBytes`, `logger`), on a real server, and says where its webhook is.
 */
export type StartAdapter = (options: WebhookHandlerOptions) => Promise<ConformanceServer>;

/** The adapter under test. */
export interface AdapterUnderTest {
  /** Shown in the suite's title, e.g. `'Express 5'`. */
  name: string;
  /** Starts the adapter alone. */
  start: StartAdapter;
  /**
   * Starts it behind a JSON body parser that runs first (`express.json()`, koa-bodyparser, an
   * Express parser through `@fastify/middie`), or says why that cannot happen on the platform
   * (the case is then registered as skipped, with the reason in its title).
   */
  startBehindParser: StartAdapter | { cannotHappen: string };
}

/**
 * Registers the suite's cases for one adapter: a valid delivery; the raw bytes verified
 * whatever the content type; a wrong signature; each header missing, each malformed; a body
 * over `maxBodyBytes`, declared and chunked; a body already parsed; a throwing handler and
 * its redelivery; a duplicate; a concurrent duplicate (409 + `Retry-After`); an unknown kind;
 * no secret or signature in the logs. Every answer must be core's own answer to the same
 * request, status, headers and body byte for byte. One server serves every case but the
 * already-parsed one, which starts its own.
 *
 * @example
 * import { afterAll, beforeAll, describe, it } from 'vitest';
 * describeAdapterConformance({ describe, it, beforeAll, afterAll }, {
 *   name: 'Koa',
 *   start: (options) => listen(new Koa().use(pasisKoa(options))),
 *   startBehindParser: (options) => listen(new Koa().use(bodyParser()).use(pasisKoa(options))),
 * });
 */
export function describeAdapterConformance(
  runner: ConformanceRunner & Required<Pick<ConformanceRunner, 'beforeAll' | 'afterAll'>>,
  adapter: AdapterUnderTest,
): void {
  const suite = createSuite(adapter.name);
  let server: ConformanceServer | undefined;
  runner.describe(`${adapter.name}: every answer is core's`, () => {
    runner.beforeAll(async () => {
      server = await adapter.start(suite.options());
      suite.server = server;
    });
    runner.afterAll(async () => {
      await server?.close();
    });
    registerRejections(runner, suite);
    registerBehindParser(runner, adapter, suite);
    registerDeliveries(runner, suite);
  });
}
