/**
 * The adapter conformance suite: every adapter must answer every delivery exactly as core
 * does, over a real server. Framework- and runner-neutral: it takes the runner's
 * `{ describe, it, beforeAll, afterAll }` (vitest's; node:test's with `before`/`after`) and
 * asserts with `node:assert/strict`. Whoever writes a fourth adapter runs it too.
 */
import type { ConformanceRunner } from '../conformance-runner.js';
import { registerBehindParser } from './behind-parser.js';
import { registerDeliveries } from './deliveries.js';
import { registerRejections } from './rejections.js';
import { createSuite } from './suite.js';
import type { AdapterUnderTest, ConformanceServer } from './types.js';

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
