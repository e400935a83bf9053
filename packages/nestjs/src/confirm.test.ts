// webhook: { confirm: true } confirms with the module's own client (its appId and baseUrl).
import 'reflect-metadata';
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { type PasisEventOf, silentLogger, type WebhookContext } from '@pasis/core';
import { createTestEvent, type SessionServer, startSessionServer } from '@pasis/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OnPasisEvent, PasisModule } from './index.js';
import { boot, PLATFORMS } from './test-support/app.js';

let server: SessionServer;
const seen: { session: string; confirmed: boolean }[] = [];
beforeAll(async () => {
  server = await startSessionServer('app_nest_confirm');
});
afterAll(() => server.close());

@Injectable()
class Orders {
  @OnPasisEvent('session:processed')
  settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
    seen.push({ session: event.session_id, confirmed: ctx.confirmed });
  }
}

function shop() {
  @Module({
    imports: [
      PasisModule.forRoot({
        appId: 'app_nest_confirm',
        baseUrl: server.baseUrl,
        logger: silentLogger,
        webhook: { confirm: true },
      }),
    ],
    providers: [Orders],
  })
  class ConfirmModule {}
  return ConfirmModule;
}

describe.each(PLATFORMS)('PasisModule with confirm: true on platform-%s', (platform) => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    seen.length = 0;
  });

  it('refuses a forged amount (422) and handles the genuine event once', async () => {
    const booted = await boot(shop(), platform);
    app = booted.app;
    const id = `sess_nest_${platform}`;
    server.set(id, 'success', 5000);
    const post = (amount: number) =>
      fetch(`${booted.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(createTestEvent({ session_id: id, amount })),
      });
    const forged = await post(1);
    expect([forged.status, (await forged.json()).error.code]).toEqual([422, 'outcome_mismatch']);
    expect((await post(5000)).status).toBe(200);
    expect((await (await post(5000)).json()).outcome).toBe('duplicate');
    expect(seen).toEqual([{ session: id, confirmed: true }]);
  });
});
