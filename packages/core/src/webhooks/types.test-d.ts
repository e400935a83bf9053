import { describe, expectTypeOf, it } from 'vitest';
import type { PasisEventOf, SessionCreatedEvent } from '../events/types.js';
import { createWebhookHandler } from './receiver.js';
import type { WebhookHandler, WebhookReceiver } from './receiver-types.js';

describe('webhook types', () => {
  it('builds a WebhookReceiver; WebhookHandler is its deprecated alias', () => {
    expectTypeOf(createWebhookHandler()).toEqualTypeOf<WebhookReceiver>();
    expectTypeOf<WebhookHandler<string>>().toEqualTypeOf<WebhookReceiver<string>>();
  });

  it('types each handler by its kind', () => {
    createWebhookHandler({
      on: {
        'session:processed': (event, ctx) => {
          expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
          expectTypeOf(event.amount).toBeNumber();
          expectTypeOf(ctx.deliveryId).toBeString();
        },
        'session:created': [(event) => expectTypeOf(event.kind).toEqualTypeOf<'session:created'>()],
      },
    });
    expectTypeOf<PasisEventOf<'session:created'>>().toEqualTypeOf<SessionCreatedEvent>();
  });

  it('refuses misspelt kinds and wrong payloads', () => {
    createWebhookHandler({
      on: {
        // @ts-expect-error: not a kind
        'session:paid': () => {},
      },
    });
    const webhooks = createWebhookHandler({});
    // @ts-expect-error: a session:created handler cannot take session:processed events
    webhooks.on('session:processed', (event: SessionCreatedEvent) => event);
    // @ts-expect-error: not a kind
    webhooks.on('sesion:processed', () => {});
  });
});

describe('the transaction type', () => {
  it("types ctx.tx from the store's claim", () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    const store = {} as import('../dedupe/store.js').WebhookStore<Tx>;
    const webhooks = createWebhookHandler({
      store,
      on: { 'session:processed': (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>() },
    });
    webhooks.on('session:created', (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>());
    createWebhookHandler({ on: (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<undefined>() });
  });
});
