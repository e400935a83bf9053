/**
 * "You can see why": a failure reaches every logger with the event kind, the delivery and
 * session ids, and the merchant's own error (message and stack), bounded when it repeats.
 * Real receivers and real signatures; loggers that record what they are given.
 */
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../testing/adapter-conformance/recording-logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { createFailureLog, FAILURE_LOG_LIMIT, FAILURE_LOG_PER_KIND } from './failure-log.js';
import { describeError, formatLogLine, MAX_ERROR_TEXT } from './format.js';
import { createProcessWarningLogger, defaultLogger, type PasisLogger } from './logger.js';

const secret = generateWebhookSecret();
const event = createTestEvent();

function failingReceiver(logger: PasisLogger, error: () => unknown) {
  return createWebhookHandler({
    secret,
    logger,
    on: {
      'session:processed': () => {
        throw error();
      },
    },
  });
}

describe('a handler that throws', () => {
  it("reaches a logger of the app's with the ids, the kind and the error itself", async () => {
    const log = recordingLogger();
    const cause = new Error('connection refused');
    const webhooks = failingReceiver(log.logger, () => new Error('orders table is locked', { cause }));
    const answer = await webhooks.handle(signWebhook(event, { secret, id: 'msg_1' }));
    expect(answer.status).toBe(500);
    const errors = log.lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      'Pasis webhook: the session:processed handler failed; Pasis will retry the delivery: Error: orders table is locked',
    );
    expect(errors[0]!.meta).toMatchObject({
      deliveryId: 'msg_1',
      kind: 'session:processed',
      sessionId: 'sess_1',
      outcome: 'handler_failed',
    });
    expect(errors[0]!.meta?.error).toHaveProperty('cause', cause);
    expect(log.text()).not.toContain(secret.slice(6));
  });

  it("reaches the default logger's process warning with the ids, the message, the stack and the cause", async () => {
    const emitted: string[] = [];
    const logger = createProcessWarningLogger({
      emit: (message) => void emitted.push(message),
      now: Date.now,
    });
    const webhooks = failingReceiver(
      logger,
      () => new Error('orders table is locked', { cause: new Error('connection refused') }),
    );
    await webhooks.handle(signWebhook(event, { secret, id: 'msg_1' }));
    expect(emitted).toHaveLength(1);
    const [first, ...stack] = emitted[0]!.split('\n');
    expect(first).toBe(
      'Pasis webhook: the session:processed handler failed; Pasis will retry the delivery: Error: orders table is locked ' +
        '(deliveryId=msg_1, kind=session:processed, sessionId=sess_1, outcome=handler_failed)',
    );
    expect(stack[0]).toBe('Error: orders table is locked');
    expect(stack[1]).toMatch(/^\s+at .*logging\.test\.ts/);
    expect(stack).toContain('Caused by: Error: connection refused');
  });

  it('reaches the real default logger as a Node process warning', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => void warnings.push(warning);
    process.on('warning', listen);
    try {
      const webhooks = failingReceiver(defaultLogger, () => new Error('orders table is locked'));
      await webhooks.handle(signWebhook(event, { secret, id: 'msg_default' }));
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', listen);
    }
    const warning = warnings.find((w) => w.message.includes('msg_default'));
    expect(warning).toMatchObject({ name: 'Warning', code: 'PASIS_ERROR' });
    expect(warning?.message).toMatch(/handler failed.*Error: orders table is locked.*sessionId=sess_1/);
    expect(warning?.message).toMatch(/\n\s+at .*logging\.test\.ts/);
  });

  it('says what was thrown when it is not an Error', async () => {
    const log = recordingLogger();
    await failingReceiver(log.logger, () => 'plain string').handle(signWebhook(event, { secret }));
    expect(log.lines.find((line) => line.level === 'error')?.message).toMatch(
      /handler failed; .*: plain string$/,
    );
  });
});

describe('repeated failures are bounded', () => {
  it(`one failure on every delivery: ${FAILURE_LOG_PER_KIND} lines, and other failures still get theirs`, async () => {
    const log = recordingLogger();
    let message = 'database down';
    const webhooks = failingReceiver(log.logger, () => new Error(message));
    for (let i = 0; i < 200; i++) {
      await webhooks.handle(signWebhook({ ...event, session_id: `sess_${i}` }, { secret }));
    }
    message = 'a different bug';
    await webhooks.handle(signWebhook({ ...event, session_id: 'sess_other' }, { secret }));
    const errors = log.lines.filter((line) => line.level === 'error').map((line) => line.message);
    expect(errors.filter((m) => m.endsWith('Error: database down'))).toHaveLength(FAILURE_LOG_PER_KIND);
    expect(errors.filter((m) => m.endsWith('Error: a different bug'))).toHaveLength(1);
  });

  it(`at most ${FAILURE_LOG_LIMIT} failure lines a window, then one summary naming what was held back`, () => {
    let now = 1_000_000;
    const timers: (() => void)[] = [];
    const failed = createFailureLog(
      () => now,
      (fn) => void timers.push(fn),
    );
    const log = recordingLogger();
    for (let i = 0; i < 500; i++) {
      failed(
        log.logger,
        `failure ${i}`,
        { kind: 'session:processed', error: new Error(`bug ${i % 50}`) },
        'handler',
      );
    }
    expect(log.lines).toHaveLength(FAILURE_LOG_LIMIT);
    now += 60_000;
    for (const fn of timers.splice(0)) fn();
    expect(log.lines).toHaveLength(FAILURE_LOG_LIMIT + 1);
    const summary = log.lines.at(-1)!;
    expect(summary.level).toBe('error');
    expect(summary.message).toMatch(/^Pasis: 480 more failures within 60 s were not logged one by one \(/);
    // Past 20 distinct failures the summary counts the rest together: its size is bounded too.
    expect(Object.keys(summary.meta?.failures as object)).toHaveLength(21);
    expect(summary.message).toContain('others ');
  });
});

describe('the reconciler', () => {
  it('reports a throwing handler with the session and the error, as the webhook does', async () => {
    const log = recordingLogger();
    const webhooks = failingReceiver(log.logger, () => new Error('orders table is locked'));
    const result = await webhooks.receive(event as never, {
      source: 'reconcile',
      deliveryId: 'reconcile:sess_1',
    });
    expect(result).toMatchObject({ ok: false, code: 'handler_failed' });
    const line = log.lines.find((l) => l.level === 'error');
    expect(line?.message).toBe(
      'Pasis reconcile: the session:processed handler failed; the next reconciler run tries again: Error: orders table is locked',
    );
    expect(line?.meta).toMatchObject({ deliveryId: 'reconcile:sess_1', sessionId: 'sess_1' });
    expect(line?.meta?.error).toBeInstanceOf(Error);
  });
});

describe('formatting', () => {
  it('cuts a huge error text, and follows at most three causes (a cycle included)', () => {
    const huge = new Error('x'.repeat(100_000));
    expect(describeError(huge).length).toBeLessThanOrEqual(MAX_ERROR_TEXT + 10);
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeError(a).match(/Caused by/g)).toHaveLength(3);
  });

  it('writes plain fields only, and no field named error twice', () => {
    expect(formatLogLine('m', { a: 1, b: 'x', c: { nested: true }, d: undefined })).toBe('m (a=1, b=x)');
    expect(formatLogLine('m')).toBe('m');
  });
});
