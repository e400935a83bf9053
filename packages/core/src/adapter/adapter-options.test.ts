import { describe, expect, it, vi } from 'vitest';
import { createPasisClient } from '../client/create-client.js';
import { isPasisError } from '../errors.js';
import { type PasisLogger, silentLogger } from '../logging/logger.js';
import { generateWebhookSecret } from '../webhooks/secret.js';
import { resolveAdapterOptions } from './adapter-options.js';
import { withPackageName } from './package-name.js';

const secret = generateWebhookSecret();
const info = { name: '@pasis/koa', clientName: 'ctx.pasis.client' };
const messageOf = (build: () => unknown): string => {
  try {
    build();
  } catch (error) {
    if (isPasisError(error, 'config_error')) return error.message;
    throw error;
  }
  throw new Error('nothing was thrown');
};
const logger = (): PasisLogger => ({ ...silentLogger });

describe('resolveAdapterOptions', () => {
  it('splits the route from the client, defaulting path and logger', () => {
    const framework = logger();
    const on = () => {};
    const resolved = resolveAdapterOptions(
      { appId: 'app_1', webhook: { secret, on } },
      { ...info, logger: framework },
    );
    expect(resolved.webhook).toEqual({ path: '/webhook', options: { secret, on, logger: framework } });
    expect(resolved.logger).toBeUndefined(); // nothing chosen: deliveries may use the request's logger
    expect(typeof resolved.client().checkout.sessions.create).toBe('function');
    // The route is on by default (POST /webhook); `webhook: false` turns it off.
    expect(resolveAdapterOptions(undefined, info).webhook).toEqual({ path: '/webhook', options: {} });
    expect(resolveAdapterOptions({ webhook: true }, info).webhook).toEqual({ path: '/webhook', options: {} });
    expect(resolveAdapterOptions({ webhook: false }, info).webhook).toBeUndefined();
  });

  it('prefers webhook.logger, then logger, for the webhook and its deliveries', () => {
    const mine = logger();
    const hooks = logger();
    expect(resolveAdapterOptions({ logger: mine, webhook: { secret } }, info)).toMatchObject({
      logger: mine,
      webhook: { options: { logger: mine } },
    });
    expect(resolveAdapterOptions({ logger: mine, webhook: { secret, logger: hooks } }, info)).toMatchObject({
      logger: hooks,
      webhook: { options: { logger: hooks } },
    });
  });

  it.each([
    [{ secret }, /^@pasis\/koa: `secret` is a webhook option: pass it as `webhook: \{ secret \}`\.$/],
    [{ path: '/x' }, /`path` is a webhook option/],
    [{ webhookSecret: secret }, /^@pasis\/koa: `webhookSecret` is now `webhook.secret`\.$/],
    [{ webhookPath: '/x' }, /`webhookPath` is now `webhook.path`/],
    [{ handlers: {} }, /`handlers` is now `webhook.on`/],
    [
      { tolerance: 1 },
      /^@pasis\/koa: unknown option `tolerance`\. The options are appId, baseUrl, .*, client and webhook/,
    ],
    [
      { webhook: 'yes' },
      /^@pasis\/koa: the webhook options must be an object, or `false` for the client only/,
    ],
    [{ webhook: { path: 'x' } }, /^@pasis\/koa: path must be an absolute path/],
    [{ logger: {} }, /^@pasis\/koa: logger must have/],
    [{ client: {} }, /^@pasis\/koa: client must be a Pasis client/],
    [{ appId: '' }, /^@pasis\/koa: appId must be a non-empty string/],
    [{ appId: 'a', timeoutMs: 0 }, /^@pasis\/koa: timeoutMs must be/],
    ['options', /^@pasis\/koa: the options must be an object/],
  ])('refuses %j naming the package', (options, message) => {
    expect(messageOf(() => resolveAdapterOptions(options as never, info))).toMatch(message);
  });

  it('refuses a client together with the options to build one, but lets logger through', () => {
    const client = createPasisClient({ appId: 'app_1' });
    expect(messageOf(() => resolveAdapterOptions({ client, baseUrl: 'http://x', appId: 'a' }, info))).toMatch(
      /pass either `client` or the options to build one \(baseUrl, appId\), not both/,
    );
    const resolved = resolveAdapterOptions({ client, logger: logger() }, info);
    expect(resolved.client()).toBe(client);
  });

  it('defers only a missing appId to first use; any other mistake fails at once', () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const { client } = resolveAdapterOptions({ webhook: { secret } }, info);
    expect(messageOf(client)).toMatch(
      /^@pasis\/koa: ctx.pasis.client is not configured: Missing Pasis appId/,
    );
    expect(messageOf(() => resolveAdapterOptions({ maxRetries: 50 }, info))).toMatch(
      /^@pasis\/koa: maxRetries must be an integer/,
    );
    vi.stubEnv('PASIS_APP_ID', 'app_env');
    expect(() => resolveAdapterOptions({}, info).client()).not.toThrow();
    vi.unstubAllEnvs();
  });
});

describe('withPackageName', () => {
  it("re-raises core's config errors as the package's, and nothing else", () => {
    expect(messageOf(() => withPackageName('@pasis/koa', () => createPasisClient({ appId: '' })))).toBe(
      '@pasis/koa: appId must be a non-empty string.',
    );
    const other = new Error('boom');
    expect(() =>
      withPackageName('@pasis/koa', () => {
        throw other;
      }),
    ).toThrow(other);
    expect(withPackageName('@pasis/koa', () => 42)).toBe(42);
  });
});
