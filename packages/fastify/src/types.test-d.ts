import { createMemoryStore, type PasisClient, type WebhookContext, type WebhookStore } from '@pasis/core';
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import pasis, { type PasisEvent, type PasisEventOf } from './index.js';

describe('app.pasis types', () => {
  it('await app.register(pasis): no options at all, or the client only', async () => {
    const app = Fastify();
    await app.register(pasis);
    app.pasis.on(
      'session:processed',
      (event: PasisEventOf<'session:processed'>, ctx: WebhookContext<never>) => {
        expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
        expectTypeOf(ctx.deliveryId).toBeString();
      },
    );
    await Fastify().register(pasis, { webhook: false });
    await Fastify().register(pasis, {
      webhook: { on: (event) => expectTypeOf(event).toEqualTypeOf<PasisEvent>() },
    });
    // @ts-expect-error: `webhook` is the route's options, true or false
    await Fastify().register(pasis, { webhook: 'off' });
  });

  it('types the client and the handlers', async () => {
    const app = Fastify();
    await app.register(pasis, { webhook: { path: '/webhook' } });
    expectTypeOf(app.pasis.client).toEqualTypeOf<PasisClient>();
    app.pasis.on('session:processed', (event) => {
      expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
      expectTypeOf(event.session_id).toBeString();
    });
    app.pasis.on('session:created', (event) => {
      expectTypeOf(event.kind).toEqualTypeOf<'session:created'>();
    });
    // @ts-expect-error: not a Pasis event kind
    app.pasis.on('session:paid', () => {});
  });

  it("takes core's client and webhook options, and not the old spellings", async () => {
    const app = Fastify();
    await app.register(pasis, {
      appId: 'app_1',
      timeoutMs: 10_000,
      maxRetries: 1,
      webhook: {
        secrets: ['whsec_a', 'whsec_b'],
        leaseMs: 30_000,
        on: { 'session:processed': (event) => expectTypeOf(event.amount).toBeNumber() },
      },
    });
    // @ts-expect-error: webhook.handlers is now webhook.on
    await app.register(pasis, { webhook: { handlers: {} } });
    // @ts-expect-error: the secret belongs to the webhook
    await app.register(pasis, { secret: 'whsec_a' });
  });

  it("takes any store, and types ctx.tx from the handler's annotation", async () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    const store = {} as WebhookStore<Tx>;
    const app = Fastify();
    await app.register(pasis, {
      webhook: {
        store,
        on: {
          'session:processed': (_event, ctx: WebhookContext<Tx>) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>(),
          // Registration cannot know the store's transaction: unannotated, ctx.tx cannot be used.
          'session:created': (_event, ctx) => expectTypeOf(ctx.tx).toBeNever(),
        },
      },
    });
    app.pasis.on('session:processed', (event, ctx: WebhookContext<Tx>) => {
      expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
      expectTypeOf(ctx.tx).toEqualTypeOf<Tx>();
    });
    app.pasis.on('session:processed', (_event, ctx) => expectTypeOf(ctx.tx).toBeNever());
    // @ts-expect-error: the context is a WebhookContext, not anything
    app.pasis.on('session:processed', (_event, ctx: string) => ctx);
    await Fastify().register(pasis, { webhook: { store: createMemoryStore() } });
  });
});
