import type { WebhookHandler } from '@pasis/core';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { pasisWebhook } from './index.js';

describe('pasisWebhook types', () => {
  it("takes core's options, with typed handlers in `on`", () => {
    const middleware = pasisWebhook({
      path: '/webhook',
      on: {
        'session:processed': (event, ctx) => {
          expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
          expectTypeOf(ctx.deliveryId).toBeString();
        },
      },
    });
    expectTypeOf(middleware.webhooks).toEqualTypeOf<WebhookHandler>();
    express().use(middleware);
    express().post('/hooks', middleware);
  });

  it('refuses the old spellings at compile time', () => {
    // @ts-expect-error: handlers go in `on`
    pasisWebhook({ handlers: {} });
    // @ts-expect-error: one argument only (the old pasisWebhook(handlers, options))
    pasisWebhook({ 'session:processed': () => {} }, { secret: 'whsec_x' });
    // @ts-expect-error: the secret is `secret`
    pasisWebhook({ webhookSecret: 'whsec_x' });
  });
});
