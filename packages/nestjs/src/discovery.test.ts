// Handler discovery: each @OnPasisEvent method runs exactly once per delivery, wherever it
// lives (provider, controller, aliased provider, request-scoped or transient host), and a
// handler that could never run refuses the boot.
import 'reflect-metadata';
import { Controller, type INestApplication, Inject, Injectable, Module, Scope } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { isPasisError, type PasisEventOf, silentLogger, type WebhookContext } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { OnPasisEvent, type PasisEventRequest, PasisModule } from './index.js';
import { boot, PLATFORMS } from './test-support/app.js';

const secret = generateWebhookSecret();
const calls: string[] = [];
let sequence = 0;

@Injectable()
class OrdersService {
  @OnPasisEvent('session:processed')
  @OnPasisEvent('session:processed') // twice the same kind: still once
  settle(event: PasisEventOf<'session:processed'>) {
    calls.push(`service:${event.session_id}`);
  }
}

@Controller('orders')
class OrdersController {
  @OnPasisEvent('session:processed')
  settle(event: PasisEventOf<'session:processed'>) {
    calls.push(`controller:${event.session_id}`);
  }
}

/** A request-scoped dependency: a fresh one per delivery, seeing the delivery. */
@Injectable({ scope: Scope.REQUEST })
class DeliveryScope {
  static created = 0;
  readonly n = ++DeliveryScope.created;
  constructor(@Inject(REQUEST) readonly delivery: PasisEventRequest) {}
}

@Injectable()
class ScopedHandler {
  constructor(readonly scope: DeliveryScope) {}

  @OnPasisEvent('session:processed')
  settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
    const seen = this.scope.delivery;
    calls.push(`scoped#${this.scope.n}:${event.session_id}:${seen.event === event && seen.ctx === ctx}`);
  }

  /** A second handler of the same delivery: the same per-delivery instances. */
  @OnPasisEvent('session:processed')
  audit(event: PasisEventOf<'session:processed'>) {
    calls.push(`audit#${this.scope.n}:${event.session_id}`);
  }
}

@Injectable({ scope: Scope.TRANSIENT })
class TransientHandler {
  static created = 0;
  readonly n = ++TransientHandler.created;

  @OnPasisEvent('session:processed')
  settle(event: PasisEventOf<'session:processed'>) {
    calls.push(`transient:${event.session_id}`);
  }
}

const shared = new OrdersService();
const pasis = PasisModule.forRoot({ logger: silentLogger, webhook: { secret } });

@Module({
  imports: [pasis],
  controllers: [OrdersController],
  providers: [
    OrdersService,
    // Aliases of the same instance: never a second run.
    { provide: 'ORDERS', useExisting: OrdersService },
    { provide: 'ORDERS_AGAIN', useExisting: 'ORDERS' },
  ],
})
class AliasModule {}

@Module({ imports: [pasis], providers: [DeliveryScope, ScopedHandler, TransientHandler] })
class ScopedModule {}

@Module({
  imports: [pasis],
  // The alias gets an instance of its own from a transient provider: only skipping aliases
  // keeps it from running the handler a second time.
  providers: [TransientHandler, { provide: 'TRANSIENT_ALIAS', useExisting: TransientHandler }],
})
class TransientAliasModule {}

@Module({
  imports: [pasis],
  providers: [
    { provide: 'A', useValue: shared },
    { provide: 'B', useValue: shared },
  ],
})
class SharedValueModule {}

@Module({
  imports: [PasisModule.forRoot({ logger: silentLogger, webhook: false })],
  providers: [OrdersService],
})
class NoWebhookModule {}

@Module({ imports: [PasisModule.forRoot({ logger: silentLogger, appId: 'app_1', webhook: false })] })
class ClientOnlyModule {}

let current: INestApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
  calls.length = 0;
});

async function deliver(url: string) {
  const id = `sess_d${++sequence}`;
  const { body, headers } = signWebhook(createTestEvent({ session_id: id }), { secret });
  const res = await fetch(`${url}/webhook`, {
    method: 'POST',
    body,
    headers,
    signal: AbortSignal.timeout(5000),
  });
  expect(res.status).toBe(200);
  return id;
}

describe.each(PLATFORMS)('@OnPasisEvent discovery on platform-%s', (platform) => {
  async function start(module: unknown) {
    const booted = await boot(module, platform);
    current = booted.app;
    return booted.url;
  }

  it("runs a controller's handler, and a provider's once however many aliases stand for it", async () => {
    const url = await start(AliasModule);
    const id = await deliver(url);
    expect(calls.sort()).toEqual([`controller:${id}`, `service:${id}`]);
  });

  it('runs a transient host once even behind an alias (which holds an instance of its own)', async () => {
    const url = await start(TransientAliasModule);
    const id = await deliver(url);
    expect(calls).toEqual([`transient:${id}`]);
  });

  it('runs an instance registered under two tokens once', async () => {
    const url = await start(SharedValueModule);
    const id = await deliver(url);
    expect(calls).toEqual([`service:${id}`]);
  });

  it('resolves request-scoped and transient hosts afresh for each delivery, each run once', async () => {
    const url = await start(ScopedModule);
    const before = { scope: DeliveryScope.created, transient: TransientHandler.created };
    const first = await deliver(url);
    const second = await deliver(url);
    const scoped = calls.filter((c) => c.startsWith('scoped'));
    expect(scoped).toHaveLength(2);
    expect(scoped[0]).toMatch(new RegExp(`^scoped#\\d+:${first}:true$`));
    expect(scoped[1]).toMatch(new RegExp(`^scoped#\\d+:${second}:true$`));
    expect(scoped[0]!.split(':')[0]).not.toBe(scoped[1]!.split(':')[0]); // two instances
    expect(DeliveryScope.created - before.scope).toBe(2); // one per delivery, shared by its handlers
    const audits = calls.filter((c) => c.startsWith('audit'));
    expect(audits).toEqual([
      `${scoped[0]!.split(':')[0]!.replace('scoped', 'audit')}:${first}`,
      `${scoped[1]!.split(':')[0]!.replace('scoped', 'audit')}:${second}`,
    ]);
    expect(calls.filter((c) => c.startsWith('transient'))).toEqual([
      `transient:${first}`,
      `transient:${second}`,
    ]);
    expect(TransientHandler.created - before.transient).toBeGreaterThanOrEqual(2);
  });

  it('refuses to boot when handlers are found but `webhook: false` says no route, naming them', async () => {
    const error = await boot(NoWebhookModule, platform).then(
      ({ app }) => app.close(),
      (e: unknown) => e,
    );
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@pasis\/nestjs: @OnPasisEvent handlers were found \(OrdersService\.settle\), but PasisModule was given `webhook: false`, so it serves no webhook route and their events could never arrive: remove `webhook: false`/,
    );
  });

  it('boots with `webhook: false` and without handlers: no route, the client works', async () => {
    const url = await start(ClientOnlyModule);
    const { body, headers } = signWebhook(
      { kind: 'session:created', session_id: 's', amount: 1 },
      { secret },
    );
    expect((await fetch(`${url}/webhook`, { method: 'POST', body, headers })).status).toBe(404);
  });
});
