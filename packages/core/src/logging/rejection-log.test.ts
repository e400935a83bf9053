/**
 * Logs that cannot flood: the window itself (a fake clock and a fake timer, no real time),
 * then a burst of 10,000 forged deliveries through a real receiver with a recording logger.
 */
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../client/test-support/client.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { LogWindow } from './log-window.js';
import { createProcessWarningLogger } from './logger.js';
import { REJECTION_LOG_LIMIT } from './rejection-log.js';

function fakeTime(start = 1_000_000) {
  let now = start;
  const timers: { fn: () => void; at: number }[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
      for (const timer of timers.splice(0)) {
        if (timer.at <= now) timer.fn();
        else timers.push(timer);
      }
    },
    setTimer: (fn: () => void, ms: number) => void timers.push({ fn, at: now + ms }),
    timers,
  };
}

describe('LogWindow', () => {
  it('lets the first lines through, counts the rest, and summarises once at the window end', () => {
    const time = fakeTime();
    const summaries: [number, Record<string, number>][] = [];
    const window = new LogWindow({
      limit: 3,
      windowMs: 1_000,
      now: time.now,
      setTimer: time.setTimer,
      summarize: (held, byKey) => summaries.push([held, Object.fromEntries(byKey)]),
    });
    const admitted = ['a', 'a', 'b', 'a', 'b', 'b'].map((key) => window.admit(key));
    expect(admitted).toEqual([true, true, true, false, false, false]);
    expect(time.timers).toHaveLength(1); // one timer per window, not per line
    expect(summaries).toEqual([]);
    time.advance(999);
    expect(summaries).toEqual([]);
    time.advance(1);
    expect(summaries).toEqual([[3, { a: 1, b: 2 }]]);
    expect(window.admit('a')).toBe(true); // a new window
    expect(summaries).toHaveLength(1); // nothing held since the last summary: no empty summary
  });

  it('summarises a window when the next line comes after it, before the timer fires', () => {
    let now = 0;
    const summaries: number[] = [];
    const window = new LogWindow({
      limit: 1,
      windowMs: 1_000,
      now: () => now,
      setTimer: () => {}, // never fires
      summarize: (held) => summaries.push(held),
    });
    window.admit('x');
    window.admit('x');
    window.admit('x');
    now = 1_000;
    expect(window.admit('x')).toBe(true);
    expect(summaries).toEqual([2]);
  });

  it('starts a new window when the clock goes backwards, rather than holding lines forever', () => {
    let now = 10_000;
    const window = new LogWindow({
      limit: 1,
      windowMs: 1_000,
      now: () => now,
      setTimer: () => {},
      summarize: () => {},
    });
    window.admit('x');
    expect(window.admit('x')).toBe(false);
    now = 5_000;
    expect(window.admit('x')).toBe(true);
  });
});

describe('rejected deliveries', () => {
  it('a burst of 10,000 forgeries logs a bounded number of lines, then one summary with the counts', async () => {
    const secret = generateWebhookSecret();
    let now = Date.now();
    const logger = recordingLogger();
    const handled: unknown[] = [];
    const webhooks = createWebhookHandler({
      secret,
      logger,
      now: () => now,
      on: { 'session:processed': (event) => void handled.push(event) },
    });
    const event = createTestEvent();
    const forger = generateWebhookSecret();
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_000; i++) {
      const { body, headers } = signWebhook(event, {
        secret: forger,
        id: `msg_${i}`,
        timestamp: new Date(now),
      });
      // Every tenth forgery comes without a signature at all: a second code in the summary.
      const sent = i % 10 === 0 ? { ...headers, 'webhook-signature': undefined } : headers;
      const answer = await webhooks.handle({ body, headers: sent });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    expect(statuses).toEqual(
      new Map([
        [401, 9_000],
        [400, 1_000],
      ]),
    );
    expect(handled).toEqual([]);
    expect(logger.lines).toHaveLength(REJECTION_LOG_LIMIT);
    expect(logger.lines.every((l) => l.level === 'warn')).toBe(true);
    expect(logger.lines[0]).toEqual({
      level: 'warn',
      message: 'Pasis webhook rejected: missing_header',
      // The reason (which header) is in the line; the answer carries only the code's message.
      meta: {
        code: 'missing_header',
        outcome: 'missing_header',
        deliveryId: 'msg_0',
        reason: 'The webhook-signature header is missing.',
      },
    });
    expect(logger.lines[1]?.meta).toEqual({
      code: 'no_matching_signature',
      outcome: 'no_matching_signature',
      deliveryId: 'msg_1',
      reason: 'No webhook signature matches the body and the secret.',
    });

    // A minute later (the receiver's clock), the next rejection first writes the summary.
    now += 60_000;
    const late = signWebhook(event, { secret: forger, id: 'msg_late', timestamp: new Date(now) });
    await webhooks.handle(late);
    expect(logger.lines).toHaveLength(REJECTION_LOG_LIMIT + 2);
    const summary = logger.lines[REJECTION_LOG_LIMIT];
    expect(summary?.level).toBe('warn');
    expect(summary?.message).toBe(
      'Pasis webhook: 9990 more rejected deliveries within 60 s were not logged one by one (no_matching_signature 8991, missing_header 999)',
    );
    expect(summary?.meta).toEqual({
      suppressed: 9_990,
      codes: { no_matching_signature: 8_991, missing_header: 999 },
      windowMs: 60_000,
    });
    expect(logger.lines.at(-1)?.meta).toMatchObject({ deliveryId: 'msg_late' });
  });

  it('a genuine delivery is never held back by a burst of forgeries', async () => {
    const secret = generateWebhookSecret();
    const logger = recordingLogger();
    const webhooks = createWebhookHandler({ secret, logger, on: { 'session:processed': () => {} } });
    const event = createTestEvent();
    for (let i = 0; i < 50; i++)
      await webhooks.handle(signWebhook(event, { secret: generateWebhookSecret() }));
    const answer = await webhooks.handle(signWebhook(event, { secret, id: 'msg_real' }));
    expect(answer.status).toBe(200);
    expect(logger.lines.filter((l) => l.level === 'debug').at(-1)).toEqual({
      level: 'debug',
      message: 'Pasis webhook handled',
      meta: { deliveryId: 'msg_real', kind: 'session:processed', sessionId: 'sess_1', outcome: 'handled' },
    });
  });
});

describe('the default logger', () => {
  it('writes at most 20 process warnings a minute, then one summary', () => {
    const time = fakeTime();
    const emitted: [string, string][] = [];
    const logger = createProcessWarningLogger({
      emit: (message, { code }) => void emitted.push([code, message]),
      now: time.now,
      setTimer: time.setTimer,
    });
    for (let i = 0; i < 5_000; i++) logger.warn(`Pasis webhook rejected: no_matching_signature`);
    logger.error('Pasis webhook handler failed; the delivery will be retried');
    logger.info('never shown');
    logger.debug('never shown');
    expect(emitted).toHaveLength(20);
    time.advance(60_000);
    expect(emitted).toHaveLength(21);
    expect(emitted[20]).toEqual([
      'PASIS_WARNING',
      "Pasis: 4981 more warnings and errors within 60 s were not shown (warn 4980, error 1); pass a logger (pino, console, your framework's) to see every line.",
    ]);
    logger.error('after the window');
    expect(emitted.at(-1)).toEqual(['PASIS_ERROR', 'after the window']);
  });
});
