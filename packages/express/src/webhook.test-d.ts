import type { WebhookStore } from '@pasis/core';
import { describe, expectTypeOf, it } from 'vitest';
import { pasisWebhook } from './webhook.js';

describe('pasisWebhook types', () => {
  it("types ctx.tx from the store's transaction", () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    const store = {} as WebhookStore<Tx>;
    const middleware = pasisWebhook({
      store,
      on: { 'session:processed': (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>() },
    });
    middleware.webhooks.on('session:created', (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>());
    pasisWebhook({ on: (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<undefined>() });
  });
});
