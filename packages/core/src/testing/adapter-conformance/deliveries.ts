import assert from 'node:assert/strict';
import type { ConformanceRunner } from '../conformance-runner.js';
import { signWebhook } from '../signing/sign.js';
import { errorCodeOf, gate } from './http.js';
import type { Suite } from './suite.js';

/** Deliveries that reach the handler (or are accepted without one): the protocol's outcomes. */
export function registerDeliveries(runner: ConformanceRunner, suite: Suite): void {
  runner.it('answers 200 handled to a valid delivery; the handler gets the event and its id', async () => {
    const sent = suite.delivery();
    const answer = await suite.send(sent);
    await suite.expectCore(answer, sent);
    const [call, ...more] = suite.callsFor(sent.headers['webhook-id']);
    assert.equal(more.length, 0, 'the handler ran once');
    assert.deepEqual(call?.event, sent.event);
    assert.equal(call?.ctx.verified, true);
  });

  runner.it('verifies the raw bytes as sent, whatever the content type', async () => {
    const spaced = signWebhook(
      `{ "kind" : "session:processed", "session_id":"sess_conf_spaced", "amount":5000,\n "status":"success" }`,
      { secret: suite.secret, id: 'msg_conf_spaced' },
    );
    const plain = suite.delivery();
    const untyped = suite.delivery();
    const { 'content-type': _, ...noType } = untyped.headers;
    for (const [what, outgoing] of [
      ['JSON with spaces', spaced],
      ['text/plain', { body: plain.body, headers: { ...plain.headers, 'content-type': 'text/plain' } }],
      ['no content type', { body: untyped.body, headers: noType }],
    ] as const) {
      const answer = await suite.send(outgoing);
      assert.equal(answer.status, 200, `${what}: ${answer.text}`);
      assert.equal(suite.callsFor(outgoing.headers['webhook-id']).length, 1, `${what}: the handler ran`);
    }
  });

  runner.it(
    'answers 500 handler_failed when the handler throws, then 200 handled to the redelivery',
    async () => {
      const sent = suite.delivery();
      const id = sent.headers['webhook-id'];
      suite.behave(id, () => {
        if (suite.callsFor(id).length === 1) throw new Error('database down');
      });
      const failed = await suite.send(sent);
      assert.equal(errorCodeOf(failed), 'handler_failed', failed.text);
      await suite.expectCore(failed, sent, 'failing');
      assert.ok(!failed.text.includes('database down'), 'no handler error text in the answer');
      await suite.expectCore(await suite.send(sent), sent, 'plain');
      assert.equal(suite.callsFor(id).length, 2, 'the redelivery ran the handler again');
    },
  );

  runner.it('answers 200 duplicate to a redelivery of a handled event; the handler ran once', async () => {
    const sent = suite.delivery();
    assert.equal((await suite.send(sent)).status, 200);
    await suite.expectCore(await suite.send(sent), sent, 'done');
    assert.equal(suite.callsFor(sent.headers['webhook-id']).length, 1);
  });

  runner.it(
    'answers 409 in_progress with Retry-After while the same delivery runs, then duplicate',
    async () => {
      const sent = suite.delivery();
      const id = sent.headers['webhook-id'];
      const entered = gate();
      const release = gate();
      suite.behave(id, () => {
        entered.open();
        return release.promise;
      });
      const first = suite.send(sent);
      await entered.promise;
      const concurrent = await suite.send(sent);
      assert.equal(errorCodeOf(concurrent), 'in_progress', concurrent.text);
      await suite.expectCore(concurrent, sent, 'busy'); // Retry-After included
      release.open();
      await suite.expectCore(await first, sent, 'plain');
      await suite.expectCore(await suite.send(sent), sent, 'done');
      assert.equal(suite.callsFor(id).length, 1);
    },
  );

  runner.it('answers 200 ignored to an unknown event kind; no handler runs', async () => {
    const sent = signWebhook(
      { kind: 'refund:created', refund_id: 'r_1' },
      { secret: suite.secret, id: 'msg_conf_unknown' },
    );
    await suite.expectCore(await suite.send(sent), sent);
    assert.equal(suite.callsFor('msg_conf_unknown').length, 0);
  });

  runner.it('never logs the secret or a signature', async () => {
    const text = suite.log.text();
    assert.ok(suite.log.lines.length > 0, 'the rejections were logged');
    assert.ok(!text.includes(suite.secret.slice('whsec_'.length)), 'no secret in the logs');
    assert.ok(!/v1,[A-Za-z0-9+/=]{20,}/.test(text), 'no signature in the logs');
  });
}
