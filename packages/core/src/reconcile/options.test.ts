import { describe, expect, it, vi } from 'vitest';
import { createPasisClient } from '../client/create-client.js';
import { isPasisError, type PasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { createReconciler } from './create-reconciler.js';
import { reconcileBackoff } from './failures.js';
import type { ReconcilerOptions } from './types.js';

const client = createPasisClient({ appId: 'app_test', baseUrl: 'http://127.0.0.1:9/', logger: silentLogger });
const webhooks = createWebhookHandler({ unsafeAllowUnsigned: true, logger: silentLogger });
const base: ReconcilerOptions = { client, webhooks, sessions: () => [] };

function configError(fn: () => unknown): PasisError {
  try {
    fn();
  } catch (error) {
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(/^@pasis\/core: /);
    return error as PasisError;
  }
  throw new Error('expected a config_error');
}

describe('createReconciler: options', () => {
  it.each([
    ['no options', undefined],
    ['no client', { ...base, client: undefined }],
    ['a client without retrieve', { ...base, client: { checkout: { sessions: {} } } }],
    ['no webhooks', { ...base, webhooks: undefined }],
    ['webhooks without receive', { ...base, webhooks: { handle: () => {} } }],
    ['no sessions', { ...base, sessions: undefined }],
    ['sessions that is an array', { ...base, sessions: ['sess_1'] }],
    ['concurrency 0', { ...base, concurrency: 0 }],
    ['concurrency 1.5', { ...base, concurrency: 1.5 }],
    ['concurrency 33', { ...base, concurrency: 33 }],
    ['maxAttempts 0', { ...base, maxAttempts: 0 }],
    ['maxAttempts 11', { ...base, maxAttempts: 11 }],
    ['maxPauseMs 0', { ...base, maxPauseMs: 0 }],
    ['maxPauseMs Infinity', { ...base, maxPauseMs: Number.POSITIVE_INFINITY }],
    ['an incomplete logger', { ...base, logger: { info: () => {} } }],
    ['sessions as an object without page', { ...base, sessions: { list: () => [] } }],
    ['maxRequestsPerSecond 0', { ...base, maxRequestsPerSecond: 0 }],
    ['maxRequestsPerSecond Infinity', { ...base, maxRequestsPerSecond: Number.POSITIVE_INFINITY }],
    ['maxRequestsPerSecond as a string', { ...base, maxRequestsPerSecond: '50' }],
    ['pageSize 0', { ...base, pageSize: 0 }],
    ['pageSize 10,001', { ...base, pageSize: 10_001 }],
    ['a meterProvider without getMeter', { ...base, meterProvider: {} }],
  ])('%s → config_error naming @pasis/core', (_label, options) => {
    configError(() => createReconciler(options as ReconcilerOptions));
  });

  it('names the fix for a pace and a paged source', () => {
    expect(configError(() => createReconciler({ ...base, maxRequestsPerSecond: -1 })).message).toMatch(
      /maxRequestsPerSecond must be a number of retrieves per second from 0.1 to 10000 \(leave it out for no ceiling\)/,
    );
    expect(configError(() => createReconciler({ ...base, sessions: {} as never })).message).toMatch(
      /\{ page: \(\{ after, limit \}\) => rows \}/,
    );
  });

  it('accepts a paged source, a ceiling and a page size', () => {
    const reconciler = createReconciler({
      ...base,
      sessions: { page: ({ after, limit }) => (after === undefined ? ['sess_1'].slice(0, limit) : []) },
      maxRequestsPerSecond: 0.5,
      pageSize: 10_000,
    });
    expect(reconciler.running).toBe(false);
  });

  it('accepts the documented defaults', () => {
    const reconciler = createReconciler(base);
    expect(reconciler.started).toBe(false);
    expect(reconciler.running).toBe(false);
  });

  it.each([
    ['everyMs 0', { everyMs: 0 }],
    ['everyMs -1', { everyMs: -1 }],
    ['everyMs NaN', { everyMs: Number.NaN }],
    ['everyMs beyond a timer', { everyMs: 2 ** 31 }],
    ['olderThanMs -1', { olderThanMs: -1 }],
    ['olderThanMs as a string', { olderThanMs: '60000' }],
    ['the former every 0', { every: 0 }],
    ['the former olderThan -1', { olderThan: -1 }],
    ['everyMs and its former name', { everyMs: 1_000, every: 1_000 }],
    ['olderThanMs and its former name', { olderThanMs: 0, olderThan: 0 }],
    ['not an object', 60_000],
  ])('start(%s) → config_error, and nothing is started', (_label, options) => {
    const reconciler = createReconciler(base);
    configError(() => reconciler.start(options as never));
    expect(reconciler.started).toBe(false);
  });

  it.each([
    ['olderThanMs -5', { olderThanMs: -5 }],
    ['the former olderThan -5', { olderThan: -5 }],
    ['olderThanMs and its former name', { olderThanMs: 0, olderThan: 0 }],
    ['a signal that is not one', { signal: {} }],
    ['not an object', 'now'],
  ])('run(%s) rejects with config_error', async (_label, options) => {
    const reconciler = createReconciler(base);
    const error = await reconciler.run(options as never).catch((e: unknown) => e);
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect(reconciler.running).toBe(false);
  });

  it('olderThanMs: 0 is allowed (every session the app lists)', async () => {
    expect(await createReconciler(base).run({ olderThanMs: 0 })).toMatchObject({ listed: 0 });
  });

  it('says which names clash, and names the former one it was given in an error', () => {
    const reconciler = createReconciler(base);
    expect(configError(() => reconciler.start({ every: 1, everyMs: 1 })).message).toBe(
      '@pasis/core: reconciler.start: every is the former name of everyMs: pass everyMs alone.',
    );
    expect(configError(() => reconciler.start({ every: 0 })).message).toMatch(
      /^@pasis\/core: reconciler\.start: every must be a positive number of milliseconds/,
    );
  });

  it('still takes the former names (deprecated), as the new ones', async () => {
    const sessions = vi.fn(() => []);
    const reconciler = createReconciler({ ...base, sessions });
    await reconciler.run({ olderThan: 1_234 });
    expect(sessions).toHaveBeenCalledWith(expect.objectContaining({ olderThanMs: 1_234, olderThan: 1_234 }));
    reconciler.start({ every: 3_600_000, olderThan: 0 });
    expect(reconciler.started).toBe(true);
    await reconciler.stop();
  });
});

describe('reconcileBackoff', () => {
  it('doubles from 1 s up to 30 s, never zero (equal jitter)', () => {
    expect(reconcileBackoff(1, () => 0)).toBe(500);
    expect(reconcileBackoff(1, () => 0.999999)).toBe(999);
    expect(reconcileBackoff(2, () => 0.5)).toBe(1500);
    expect(reconcileBackoff(10, () => 0)).toBe(15_000);
    expect(reconcileBackoff(10, () => 0.999999)).toBe(29_999);
  });
});
