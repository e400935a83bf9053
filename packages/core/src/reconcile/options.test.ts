import { describe, expect, it } from 'vitest';
import { isPasisError, type PasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { createPasisClient } from '../client/create-client.js';
import { createReconciler } from './create-reconciler.js';
import { reconcileBackoff } from './run.js';
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
  ])('%s → config_error naming @pasis/core', (_label, options) => {
    configError(() => createReconciler(options as ReconcilerOptions));
  });

  it('accepts the documented defaults', () => {
    const reconciler = createReconciler(base);
    expect(reconciler.started).toBe(false);
    expect(reconciler.running).toBe(false);
  });

  it.each([
    ['every 0', { every: 0 }],
    ['every -1', { every: -1 }],
    ['every NaN', { every: Number.NaN }],
    ['every beyond a timer', { every: 2 ** 31 }],
    ['olderThan -1', { olderThan: -1 }],
    ['olderThan as a string', { olderThan: '60000' }],
    ['not an object', 60_000],
  ])('start(%s) → config_error, and nothing is started', (_label, options) => {
    const reconciler = createReconciler(base);
    configError(() => reconciler.start(options as never));
    expect(reconciler.started).toBe(false);
  });

  it.each([
    ['olderThan -5', { olderThan: -5 }],
    ['a signal that is not one', { signal: {} }],
    ['not an object', 'now'],
  ])('run(%s) rejects with config_error', async (_label, options) => {
    const reconciler = createReconciler(base);
    const error = await reconciler.run(options as never).catch((e: unknown) => e);
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect(reconciler.running).toBe(false);
  });

  it('olderThan: 0 is allowed (every session the app lists)', async () => {
    expect(await createReconciler(base).run({ olderThan: 0 })).toMatchObject({ listed: 0 });
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
