// `PasisModule.forRoot()` with `@OnPasisEvent('session:processed')`, exactly as a merchant
// writes it: nothing configured but PASIS_WEBHOOK_SECRET, a listening app on each platform,
// real signatures.
import 'reflect-metadata';
import { Injectable, Logger, Module } from '@nestjs/common';
import { isPasisError } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OnPasisEvent, type PasisEventOf, PasisModule, type WebhookContext } from './index.js';
import { boot, PLATFORMS } from './test-support/app.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const settled: string[] = [];
let failWith: Error | undefined;

@Injectable()
class OrdersService {
  @OnPasisEvent('session:processed')
  async settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
    if (failWith) throw failWith;
    settled.push(`${event.session_id}:${event.status}:${ctx.deliveryId}`);
  }
}

@Module({ imports: [PasisModule.forRoot()], providers: [OrdersService] })
class AppModule {}

@Module({ imports: [PasisModule.forRootAsync({ useFactory: () => ({}) })], providers: [OrdersService] })
class AsyncAppModule {}

@Module({ imports: [PasisModule.forRoot({ webhook: false })], providers: [OrdersService] })
class ClientOnlyWithHandlerModule {}

@Module({
  imports: [PasisModule.forRootAsync({ useFactory: () => ({ webhook: false }) })],
  providers: [OrdersService],
})
class AsyncClientOnlyWithHandlerModule {}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  settled.length = 0;
  failWith = undefined;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

async function start(module: unknown, platform: (typeof PLATFORMS)[number]) {
  const { app, url } = await boot(module, platform);
  closers.push(() => app.close());
  return url;
}

const deliver = (url: string, delivery = signWebhook(event, { secret, id: 'msg_1' })) =>
  fetch(`${url}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers });

const bootError = (module: unknown, platform: (typeof PLATFORMS)[number]) =>
  boot(module, platform).then(
    ({ app }) => app.close().then(() => undefined),
    (error: unknown) => error,
  );

describe.each(PLATFORMS)('PasisModule.forRoot() on platform-%s', (platform) => {
  it.each([
    ['forRoot()', AppModule],
    ['forRootAsync({ useFactory: () => ({}) })', AsyncAppModule],
  ])(
    '%s serves POST /webhook with the secret from PASIS_WEBHOOK_SECRET to @OnPasisEvent',
    async (_, module) => {
      vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
      const url = await start(module, platform);
      const res = await deliver(url);
      expect([res.status, await res.json()]).toEqual([200, { ok: true, outcome: 'handled' }]);
      expect(settled).toEqual(['sess_1:success:msg_1']);
      expect((await deliver(url, signWebhook(event, { secret: generateWebhookSecret() }))).status).toBe(401);
      expect(settled).toHaveLength(1);
    },
  );

  it('without a secret, refuses to boot, naming PASIS_WEBHOOK_SECRET and webhook: false', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    const error = await bootError(AppModule, platform);
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@pasis\/nestjs: no webhook secret: set PASIS_WEBHOOK_SECRET .*pass `webhook: false`/,
    );
  });

  it.each([
    ['forRoot({ webhook: false })', ClientOnlyWithHandlerModule],
    ['forRootAsync(() => ({ webhook: false }))', AsyncClientOnlyWithHandlerModule],
  ])('%s with an @OnPasisEvent handler refuses to boot: its events could never arrive', async (_, module) => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const error = await bootError(module, platform);
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@pasis\/nestjs: @OnPasisEvent handlers were found \(OrdersService\.settle\), but .* their events could never arrive/,
    );
  });

  it("logs a throwing handler's own message and stack through Nest's Logger", async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const errors: unknown[][] = [];
    vi.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    const url = await start(AppModule, platform);
    failWith = new Error('orders table is locked');
    expect((await deliver(url)).status).toBe(500);
    expect(errors).toHaveLength(1);
    const [message, stack] = errors[0] as [string, string];
    expect(message).toMatch(
      /^Pasis webhook: the session:processed handler failed; .*: Error: orders table is locked /,
    );
    expect(message).toContain('"deliveryId":"msg_1"');
    expect(message).toContain('"sessionId":"sess_1"');
    expect(stack).toMatch(/^Error: orders table is locked\n\s+at .*entry-point\.test\.ts/);
  });
});
