import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import { BACKOFF_CAP_MS, backoffDelay, parseRetryAfter, sleep, wasNeverSent } from './retry.js';

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const sysError = (code: string) => Object.assign(new Error(code), { code });

describe('wasNeverSent', () => {
  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('is true for %s', (code) => {
    expect(wasNeverSent(fetchFailed(sysError(code)))).toBe(true);
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ETIMEDOUT'])(
    'is false for %s (maybe processed)',
    (code) => {
      expect(wasNeverSent(fetchFailed(sysError(code)))).toBe(false);
    },
  );

  it('needs every address of a happy-eyeballs AggregateError to be refused', () => {
    const refused = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNREFUSED')]);
    const mixed = new AggregateError([sysError('ECONNREFUSED'), sysError('ECONNRESET')]);
    expect(wasNeverSent(fetchFailed(refused))).toBe(true);
    expect(wasNeverSent(fetchFailed(mixed))).toBe(false);
  });

  it('is false without a code', () => {
    expect(wasNeverSent(new TypeError('fetch failed'))).toBe(false);
    expect(wasNeverSent(undefined)).toBe(false);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-09-11T09:00:00Z');
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 11 Sep 2025 09:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 11 Sep 2025 08:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling capped at 8 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.999999)).toBe(499);
    expect(backoffDelay(1, () => 0.999999)).toBe(999);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
    expect(backoffDelay(10, () => 0.999999)).toBe(BACKOFF_CAP_MS - 1);
    for (let retry = 0; retry < 12; retry++) {
      const d = backoffDelay(retry, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(BACKOFF_CAP_MS, 500 * 2 ** retry));
    }
  });
});

describe('sleep', () => {
  it('resolves after the delay', async () => {
    const start = performance.now();
    await sleep(20, undefined, 'k');
    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
  });
  it('is cut short by an abort, as aborted', async () => {
    const controller = new AbortController();
    const start = performance.now();
    const pending = sleep(10_000, controller.signal, 'k');
    setTimeout(() => controller.abort(new Error('stop')), 10);
    const error = await pending.catch((e: unknown) => e);
    expect(isPasisError(error, 'aborted')).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });
  it('rejects at once for an already aborted signal', async () => {
    await expect(sleep(10_000, AbortSignal.abort(), 'k')).rejects.toMatchObject({ code: 'aborted' });
  });
});
