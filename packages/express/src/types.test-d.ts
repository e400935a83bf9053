import type { WebhookReceiver } from '@pasis/core';
import express from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import { type PasisEvent, type PasisEventOf, pasisWebhook, type WebhookContext } from './index.js';

describe('pasisWebhook types', () => {
  it('app.use(pasisWebhook(handler)): one function gets every verified event, as the union', () => {
    const middleware = pasisWebhook((event, ctx) => {
      expectTypeOf(event).toEqualTypeOf<PasisEvent>();
      expectTypeOf(ctx).toEqualTypeOf<WebhookContext>();
      if (event.kind === 'session:processed') {
        expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
      }
    });
    expectTypeOf(middleware.webhooks).toEqualTypeOf<WebhookReceiver>();
    express().use(pasisWebhook(() => {}));
    express().post('/hooks', middleware);
  });

  it("pasisWebhook(handlers): a map of kind → handler, each with its kind's event", () => {
    pasisWebhook({
      'session:processed': (event) => expectTypeOf(event).toEqualTypeOf<PasisEventOf<'session:processed'>>(),
      'session:created': [(event) => expectTypeOf(event.kind).toEqualTypeOf<'session:created'>()],
    });
    // @ts-expect-error: not a Pasis event kind
    pasisWebhook({ 'session:paid': () => {} });
  });

  it('pasisWebhook(handlerOrMap, options): the options, without `on`', () => {
    pasisWebhook((event) => expectTypeOf(event).toEqualTypeOf<PasisEvent>(), {
      path: '/pasis',
      secret: 'whsec_x',
    });
    pasisWebhook(
      { 'session:processed': (event) => expectTypeOf(event.amount).toBeNumber() },
      { maxBodyBytes: 1024 },
    );
    // @ts-expect-error: the handlers are already the first argument
    pasisWebhook(() => {}, { on: () => {} });
    // @ts-expect-error: not an option
    pasisWebhook(() => {}, { tolerance: 5 });
  });

  it("pasisWebhook({ on, ...options }): core's options, with typed handlers in `on`", () => {
    pasisWebhook({
      path: '/webhook',
      on: {
        'session:processed': (event, ctx) => {
          expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
          expectTypeOf(ctx.deliveryId).toBeString();
        },
      },
    });
    pasisWebhook();
  });

  it('refuses the old spellings at compile time', () => {
    // @ts-expect-error: handlers go in `on`
    pasisWebhook({ handlers: {} });
    // @ts-expect-error: the secret is `secret`
    pasisWebhook({ webhookSecret: 'whsec_x' });
    // @ts-expect-error: options go second, after the handlers
    pasisWebhook({ secret: 'whsec_x' }, { path: '/x' });
  });
});
