/**
 * The part of the store conformance suite that goes through core's receiver: signed
 * deliveries to `createWebhookHandler`, with handlers that write through `ctx.tx` and
 * register `ctx.afterCommit` effects. It checks what a merchant sees: a throwing handler
 * keeps nothing, duplicates run the handler once, an effect runs once after the commit.
 */
import assert from 'node:assert/strict';
import { dedupeKey } from '../../dedupe/dedupe-key.js';
import type { WebhookStore } from '../../dedupe/store.js';
import type { SessionProcessedEvent } from '../../events/types.js';
import { createWebhookHandler } from '../../webhooks/receiver.js';
import { generateWebhookSecret } from '../../webhooks/secret.js';
import type { EventHandler } from '../../webhooks/types.js';
import { recordingLogger } from '../adapter-conformance/recording-logger.js';
import type { ConformanceRunner } from '../conformance-runner.js';
import { signWebhook } from '../signing/sign.js';
import { claimedToken, settleWithin, sleep, type WithStore } from './support.js';
import type { StoreConformanceOptions } from './types.js';

const secret = generateWebhookSecret();
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_conf_${process.pid}_${Date.now()}_${sessions++}`,
  amount: 5000,
  status: 'success',
});

type Handler<Tx> = EventHandler<'session:processed', Tx>;

/** A receiver on `store` with one `session:processed` handler and a recording logger. */
function receiver<Tx>(store: WebhookStore<Tx>, handler: Handler<Tx>) {
  const recorded = recordingLogger();
  const webhooks = createWebhookHandler<Tx>({
    secret,
    store,
    logger: recorded.logger,
    on: { 'session:processed': handler },
  });
  /** Delivers until the answer is not 409 (as Pasis retries, without its pause); answers the outcome. */
  const deliver = async (event: SessionProcessedEvent, id: string): Promise<string> => {
    const delivery = signWebhook(event, { secret, id });
    for (let attempt = 0; attempt < 100; attempt++) {
      const answer = await webhooks.handle(delivery);
      const body = JSON.parse(answer.body) as { outcome?: string; error?: { code: string } };
      if (answer.status !== 409) return body.outcome ?? `${answer.status} ${body.error?.code}`;
      await sleep(20);
    }
    return '409 in_progress (gave up retrying)';
  };
  return { deliver, logger: recorded };
}

/** Declares the receiver-level tests; `write` and counts only for a transactional store. */
export function receiverTests<Tx>(
  it: ConformanceRunner['it'],
  withStore: WithStore<Tx>,
  options: StoreConformanceOptions<Tx>,
): void {
  const transactional = options.kind === 'transactional' ? options : undefined;
  const count = async (value: string) =>
    transactional?.countWrites
      ? await transactional.countWrites(value)
      : (await transactional?.isCommitted(value))
        ? 1
        : 0;

  it('runs an after-commit effect once, after the commit: never for a failed attempt nor a duplicate', () =>
    withStore(async (store) => {
      const event = paid();
      const seen: string[] = [];
      let attempts = 0;
      const { deliver } = receiver(store, async (e, ctx) => {
        const attempt = ++attempts;
        await transactional?.write(ctx.tx, e.session_id);
        ctx.afterCommit(async () => {
          // Run after the commit: what the handler wrote is visible outside its transaction.
          seen.push(`effect ${attempt} sees ${await count(e.session_id)} write(s)`);
        });
        if (attempt === 1) throw new Error('the first attempt fails after registering its effect');
      });
      assert.equal(await deliver(event, 'msg_effect_1'), '500 handler_failed');
      assert.deepEqual(seen, [], 'an effect of a failed attempt ran');
      assert.equal(await deliver(event, 'msg_effect_1'), 'handled');
      assert.equal(await deliver(event, 'msg_effect_2'), 'duplicate');
      assert.deepEqual(seen, [`effect 2 sees ${transactional ? 1 : 0} write(s)`]);
    }));

  it('logs an after-commit effect that throws, and keeps the delivery handled', () =>
    withStore(async (store) => {
      const event = paid();
      const { deliver, logger } = receiver(store, (_e, ctx) => {
        ctx.afterCommit(() => {
          throw new Error('the SMS gateway is down');
        });
      });
      assert.equal(await deliver(event, 'msg_effect_fails'), 'handled');
      assert.equal(await deliver(event, 'msg_effect_fails'), 'duplicate');
      const line = logger.lines.find((l) => l.message.includes('after-commit effect'));
      assert.ok(line?.message.includes('the SMS gateway is down'), 'the effect error was not logged');
      assert.equal(line?.level, 'error');
    }));

  if (transactional === undefined) return;
  const { write, isCommitted } = transactional;

  it('keeps nothing of a handler that throws: neither its write nor a dedupe record', () =>
    withStore(async (store) => {
      const event = paid();
      const { deliver } = receiver(store, async (e, ctx) => {
        await write(ctx.tx, e.session_id);
        throw new Error('the handler fails after its write');
      });
      assert.equal(await deliver(event, 'msg_throws'), '500 handler_failed');
      assert.equal(await isCommitted(event.session_id), false, 'the failed handler kept its write');
      // No record: the key can be claimed again (and is let go).
      const key = dedupeKey(event, 'msg_throws');
      const token = claimedToken(
        await store.claim(key, { leaseMs: 5000 }),
        'the claim after a failed handler',
      );
      await store.release(key, token);
    }));

  it('runs the handler once for 25 concurrent duplicates: exactly one write is kept', () =>
    withStore(async (store) => {
      const event = paid();
      const { deliver } = receiver(store, (e, ctx) => write(ctx.tx, e.session_id));
      const deliveries = Array.from({ length: 25 }, (_, i) => deliver(event, `msg_dup_${i % 3}`));
      const outcomes = await settleWithin(Promise.all(deliveries), 60_000, 'the duplicates');
      assert.equal(outcomes.filter((o) => o === 'handled').length, 1, `outcomes: ${outcomes.join(', ')}`);
      assert.equal(outcomes.filter((o) => o === 'duplicate').length, 24, `outcomes: ${outcomes.join(', ')}`);
      assert.equal(await count(event.session_id), 1);
    }));
}
