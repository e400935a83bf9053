import { afterEach, describe, expect, it, vi } from 'vitest';
import { splitRouteOptions } from '../adapter/route-options.js';
import { isPasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret } from '../testing/index.js';
import { createWebhookHandler } from './receiver.js';

const secret = generateWebhookSecret();
afterEach(() => vi.unstubAllEnvs());

/** The config_error a construction throws (fails the test when it does not throw one). */
function configErrorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    expect(isPasisError(error, 'config_error')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a config_error');
}

describe('webhook options: one module validates every option', () => {
  it.each([
    [{ maxBodyBytes: 0 }, /maxBodyBytes must be a positive integer, got 0/],
    [{ maxBodyBytes: 1.5 }, /maxBodyBytes/],
    [{ maxBodyBytes: '1024' }, /maxBodyBytes/],
    [{ leaseMs: -1 }, /leaseMs/],
    [{ doneTtlMs: Number.NaN }, /doneTtlMs/],
    [{ toleranceSec: -5 }, /toleranceSec/],
    [{ toleranceSec: Number.POSITIVE_INFINITY }, /toleranceSec/],
    [{ now: 5 }, /now must be a function/],
    [{ logger: { warn() {} } }, /logger must have debug, info, warn and error/],
    [{ onUnknownEvent: 'log' }, /onUnknownEvent must be a function/],
    [{ store: { claim() {} } }, /store must implement claim, complete and release/],
    [{ on: 'settle' }, /on must be a map of event kind/],
    [{ on: { 'session:paid': () => {} } }, /unknown event kind "session:paid"/],
    [{ on: { 'session:processed': 'settle' } }, /handler for "session:processed" must be a function/],
    [{ secrets: [] }, /secrets must be a non-empty array/],
    [{ secrets: 'whsec_x' }, /secrets must be a non-empty array/],
    [{ unsafeAllowUnsigned: 'yes' }, /unsafeAllowUnsigned must be a boolean/],
    [{ confirmMaxInFlight: 0 }, /confirmMaxInFlight must be a positive integer, got 0/],
    [{ confirmMaxInFlight: '8' }, /confirmMaxInFlight must be a positive integer/],
    [{ bodyTimeoutMs: 0 }, /bodyTimeoutMs must be a positive integer up to 2147483647, got 0/],
    [{ bodyTimeoutMs: 2 ** 31 }, /bodyTimeoutMs must be a positive integer up to 2147483647/],
  ])('refuses %j with a config_error naming @pasis/core', (bad, message) => {
    const text = configErrorOf(() => createWebhookHandler({ secret, logger: silentLogger, ...bad } as never));
    expect(text).toMatch(/^@pasis\/core: /);
    expect(text).toMatch(message);
  });

  it('names the adapter that passed the options on', () => {
    const text = configErrorOf(() =>
      createWebhookHandler({ secret, maxBodyBytes: -1 }, { name: '@pasis/express' }),
    );
    expect(text).toBe('@pasis/express: maxBodyBytes must be a positive integer, got -1.');
    expect(configErrorOf(() => createWebhookHandler({ secret: 'nope' }, { name: '@pasis/koa' }))).toMatch(
      /^@pasis\/koa: The webhook secret must be a string of the form whsec_/,
    );
  });

  it('refuses unknown options, naming the new spelling of a renamed one', () => {
    for (const [old, hint] of [
      ['handlers', /use on/],
      ['webhookSecret', /use secret/],
      ['webhookSecrets', /use secrets/],
      ['path', /adapter/],
      ['rawBodyHint', /adapter info/],
    ] as const) {
      expect(configErrorOf(() => createWebhookHandler({ secret, [old]: 'x' } as never))).toMatch(hint);
    }
    expect(configErrorOf(() => createWebhookHandler({ secret, tolerance: 5 } as never))).toMatch(
      /unknown webhook option `tolerance`\. The options are secret, secrets, .*, toleranceSec, .*\.$/,
    );
    expect(configErrorOf(() => createWebhookHandler('whsec_x' as never))).toMatch(/must be an object/);
    // The handlers map passed where the options go: said so, with the right spelling.
    expect(
      configErrorOf(() => createWebhookHandler({ secret, 'session:processed': () => {} } as never)),
    ).toMatch(
      /`session:processed` is an event kind, not an option: pass handlers as `on: \{ 'session:processed': handler \}`/,
    );
  });

  it('never puts a secret in a message', () => {
    const bad = `whsec_${'A'.repeat(10)}`;
    const text = configErrorOf(() => createWebhookHandler({ secrets: [secret, bad] }));
    expect(text).toMatch(/webhook secret #2/);
    expect(text).not.toContain(bad);
    expect(text).not.toContain(secret);
  });

  it('says what to do without a secret, and reads PASIS_WEBHOOK_SECRET only as the default', () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    expect(configErrorOf(() => createWebhookHandler({}))).toMatch(/PASIS_WEBHOOK_SECRET/);
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    expect(createWebhookHandler({ logger: silentLogger }).maxBodyBytes).toBe(262_144);
    // An explicit `secrets` list is not mixed with the environment's secret.
    expect(() => createWebhookHandler({ secrets: [generateWebhookSecret()] })).not.toThrow();
    expect(configErrorOf(() => createWebhookHandler({ unsafeAllowUnsigned: true, secret }))).toMatch(
      /not both/,
    );
  });

  it('checks kinds and functions added later with on(), the same way', () => {
    const webhooks = createWebhookHandler({ secret, logger: silentLogger });
    expect(configErrorOf(() => webhooks.on('session:paid' as never, () => {}))).toMatch(/unknown event kind/);
    expect(configErrorOf(() => webhooks.on('session:processed', 'settle' as never))).toMatch(
      /must be a function/,
    );
  });
});

describe('splitRouteOptions: the route path rule every adapter shares', () => {
  it('defaults the path and hands the rest to core untouched', () => {
    const on = () => {};
    expect(splitRouteOptions({ secret, on })).toEqual({ path: '/webhook', options: { secret, on } });
    expect(splitRouteOptions(undefined).path).toBe('/webhook');
    expect(splitRouteOptions({ path: '/hooks/pasis' }).path).toBe('/hooks/pasis');
  });

  it.each(['webhook', '', '/with space', '/q?x=1', '/#frag', '/hooks/:id', '/hooks/*', '/{x}', 5])(
    'refuses the path %j',
    (path) => {
      expect(configErrorOf(() => splitRouteOptions({ path } as never, '@pasis/express'))).toMatch(
        /^@pasis\/express: path must be an absolute path/,
      );
    },
  );
});
