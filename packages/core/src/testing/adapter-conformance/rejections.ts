import assert from 'node:assert/strict';
import { generateWebhookSecret } from '../../webhooks/secret.js';
import type { ConformanceRunner } from '../conformance-runner.js';
import { errorCodeOf } from './http.js';
import { CONFORMANCE_MAX_BODY_BYTES } from './limits.js';
import type { Suite } from './suite.js';

/** The deliveries core refuses before any handler runs: signatures, headers, size. */
export function registerRejections(runner: ConformanceRunner, suite: Suite): void {
  runner.it('answers 401 no_matching_signature to a wrong signature; no handler runs', async () => {
    const sent = suite.delivery({}, { secret: generateWebhookSecret() });
    const answer = await suite.send(sent);
    assert.equal(errorCodeOf(answer), 'no_matching_signature', answer.text);
    await suite.expectCore(answer, sent);
    assert.equal(suite.callsFor(sent.headers['webhook-id']).length, 0);
  });

  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
    runner.it(`answers 400 missing_header without ${name}`, async () => {
      const sent = suite.delivery();
      const { [name]: _, ...headers } = sent.headers;
      const outgoing = { body: sent.body, headers };
      const answer = await suite.send(outgoing);
      assert.equal(errorCodeOf(answer), 'missing_header', answer.text);
      await suite.expectCore(answer, outgoing);
      assert.equal(suite.callsFor(sent.headers['webhook-id']).length, 0);
    });
  }

  for (const [name, value, code] of [
    ['webhook-id', 'x'.repeat(257), 'malformed_id'],
    ['webhook-timestamp', 'yesterday', 'malformed_timestamp'],
    ['webhook-signature', 'v2 no-comma', 'malformed_signature'],
  ] as const) {
    runner.it(`answers ${code} to a malformed ${name}`, async () => {
      const sent = suite.delivery();
      const outgoing = { body: sent.body, headers: { ...sent.headers, [name]: value } };
      const answer = await suite.send(outgoing);
      assert.equal(errorCodeOf(answer), code, answer.text);
      await suite.expectCore(answer, outgoing);
      assert.equal(suite.callsFor(sent.headers['webhook-id']).length, 0);
    });
  }

  runner.it('answers 413 body_too_large past maxBodyBytes, with a Content-Length and chunked', async () => {
    const big = suite.delivery({ padding: 'x'.repeat(CONFORMANCE_MAX_BODY_BYTES * 3) });
    const declared = await suite.send(big);
    assert.equal(errorCodeOf(declared), 'body_too_large', declared.text);
    await suite.expectCore(declared, big);
    const chunks = Array.from({ length: 8 }, () => 'x'.repeat(CONFORMANCE_MAX_BODY_BYTES / 2));
    const chunked = await suite.send({ chunks, headers: big.headers });
    assert.equal(errorCodeOf(chunked), 'body_too_large', chunked.text);
    await suite.expectCore(chunked, { chunks, headers: big.headers });
    assert.equal(suite.callsFor(big.headers['webhook-id']).length, 0);
  });

  runner.it(
    'answers 413 as soon as a streamed body passes the limit, without waiting for its end',
    async () => {
      const sent = suite.delivery();
      const chunks = Array.from({ length: 3 }, () => 'x'.repeat(CONFORMANCE_MAX_BODY_BYTES / 2));
      const answer = await suite.send({ chunks, headers: sent.headers, holdOpen: true });
      assert.equal(errorCodeOf(answer), 'body_too_large', answer.text);
      await suite.expectCore(answer, { chunks, headers: sent.headers });
    },
  );
}
