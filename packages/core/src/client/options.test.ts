import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPasisError, type PasisError } from '../errors.js';
import { createPasisClient } from './create-client.js';
import { resolveClientOptions } from './options.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function configErrorOf(fn: () => unknown): PasisError {
  try {
    fn();
  } catch (error) {
    if (isPasisError(error, 'config_error')) return error;
    throw error;
  }
  throw new Error('expected a config_error');
}

describe('createPasisClient options', () => {
  it('reads PASIS_APP_ID and PASIS_BASE_URL as defaults', () => {
    vi.stubEnv('PASIS_APP_ID', ' app_env ');
    vi.stubEnv('PASIS_BASE_URL', 'http://127.0.0.1:4010');
    const resolved = resolveClientOptions(undefined);
    expect(resolved.appId).toBe('app_env');
    expect(resolved.baseUrl.href).toBe('http://127.0.0.1:4010/');
    expect(resolved).toMatchObject({ timeoutMs: 30_000, maxRetries: 2, maxRetryAfterMs: 60_000 });
  });

  it('defaults baseUrl to the production origin, and options win over the environment', () => {
    vi.stubEnv('PASIS_APP_ID', 'app_env');
    vi.stubEnv('PASIS_BASE_URL', '');
    expect(resolveClientOptions({}).baseUrl.href).toBe('https://checkout.pasis.rw/');
    expect(resolveClientOptions({ appId: 'app_opt' }).appId).toBe('app_opt');
  });

  it('a missing appId is a clear config_error at construction', () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const error = configErrorOf(() => createPasisClient());
    expect(error.message).toMatch(/appId/);
    expect(error.message).toMatch(/PASIS_APP_ID/);
  });

  it.each([
    ['an empty appId', { appId: '' }],
    ['a bad baseUrl', { appId: 'a', baseUrl: 'checkout.pasis.rw' }],
    ['a ftp baseUrl', { appId: 'a', baseUrl: 'ftp://checkout.pasis.rw' }],
    ['timeoutMs 0', { appId: 'a', timeoutMs: 0 }],
    ['timeoutMs NaN', { appId: 'a', timeoutMs: Number.NaN }],
    ['timeoutMs Infinity', { appId: 'a', timeoutMs: Number.POSITIVE_INFINITY }],
    ['timeoutMs beyond a timer', { appId: 'a', timeoutMs: 2 ** 31 }],
    ['maxRetries -1', { appId: 'a', maxRetries: -1 }],
    ['maxRetries 11', { appId: 'a', maxRetries: 11 }],
    ['maxRetries 1.5', { appId: 'a', maxRetries: 1.5 }],
    ['maxRetryAfterMs -1', { appId: 'a', maxRetryAfterMs: -1 }],
    ['fetch not a function', { appId: 'a', fetch: 'fetch' }],
    ['an incomplete logger', { appId: 'a', logger: { warn() {} } }],
  ])('%s is a config_error', (_label, options) => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong options
    expect(configErrorOf(() => createPasisClient(options as any)).code).toBe('config_error');
  });

  it('accepts the boundaries', () => {
    expect(() => createPasisClient({ appId: 'a', maxRetries: 0 })).not.toThrow();
    expect(() => createPasisClient({ appId: 'a', maxRetries: 10, timeoutMs: 1 })).not.toThrow();
  });

  it('exposes a frozen checkout.sessions', () => {
    const pasis = createPasisClient({ appId: 'a' });
    expect(Object.isFrozen(pasis)).toBe(true);
    expect(typeof pasis.checkout.sessions.create).toBe('function');
  });
});
