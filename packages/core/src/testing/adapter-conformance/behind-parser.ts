import assert from 'node:assert/strict';
import type { ConformanceRunner } from '../conformance-runner.js';
import { assertCoreAnswer, errorCodeOf, post } from './http.js';
import { recordingLogger } from './recording-logger.js';
import type { Suite } from './suite.js';
import type { AdapterUnderTest } from './types.js';

const TITLE = 'answers 500 body_already_parsed at once when a body parser ran first, and logs the fix once';

/**
 * The one case with a server of its own: the adapter behind a JSON parser that consumed the
 * stream first. The answer must come at once (never a wait on a stream already read), be
 * core's, and the advice be logged once however many deliveries arrive. A platform where it
 * cannot happen says why, and the case is registered as skipped with that reason.
 */
export function registerBehindParser(
  runner: ConformanceRunner,
  adapter: AdapterUnderTest,
  suite: Suite,
): void {
  const start = adapter.startBehindParser;
  if (typeof start !== 'function') {
    runner.it.skip?.(`${TITLE} — cannot happen: ${start.cannotHappen}`, async () => {});
    return;
  }
  runner.it(TITLE, async () => {
    const log = recordingLogger();
    const server = await start(suite.options(log.logger));
    try {
      for (let i = 0; i < 2; i++) {
        const sent = suite.delivery();
        const answer = await post(server.url, sent);
        assert.equal(errorCodeOf(answer), 'body_already_parsed', answer.text);
        const parsed = { body: JSON.parse(sent.body) as unknown, headers: sent.headers };
        assertCoreAnswer(answer, await suite.reference.plain.handle(parsed), adapter.name);
        assert.equal(suite.callsFor(sent.headers['webhook-id']).length, 0, 'no handler ran');
      }
      const advice = log.lines.filter((line) => line.level === 'error');
      assert.equal(advice.length, 1, `the fix is logged once: ${log.text()}`);
    } finally {
      await server.close();
    }
  });
}
