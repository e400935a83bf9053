import type { WebhookStore } from '@pasis/core';
import { describe, expectTypeOf, it } from 'vitest';
import { pasisWebhook } from './webhook.js';

describe('pasisWebhook types', () => {
  it("types ctx.tx from the store's transaction", () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    const store = {} as WebhookStore<Tx>;
    const middleware = pasisWebhook(
      { 'session:processed': (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>() },
      { store },
    );
    middleware.webhooks.on('session:created', (_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>());
    pasisWebhook((_event, ctx) => expectTypeOf(ctx.tx).toEqualTypeOf<undefined>());
  });
});
