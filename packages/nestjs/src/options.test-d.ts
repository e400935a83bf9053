import type { DynamicModule } from '@nestjs/common';
import { createMemoryStore, type WebhookStore } from '@pasis/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  OnPasisEvent,
  type PasisEvent,
  type PasisEventOf,
  PasisModule,
  type PasisModuleOptions,
  type WebhookContext,
} from './index.js';

describe('PasisModule options types', () => {
  it('PasisModule.forRoot() takes no argument at all; webhook: false is the client only', () => {
    expectTypeOf(PasisModule.forRoot()).toMatchTypeOf<DynamicModule>();
    PasisModule.forRoot({ webhook: false });
    PasisModule.forRootAsync({ useFactory: (): PasisModuleOptions => ({ webhook: false }) });
    // @ts-expect-error: `webhook` is the route's options, true or false
    PasisModule.forRoot({ webhook: 'off' });
  });

  it('@OnPasisEvent handlers annotate with the types @pasis/nestjs re-exports', () => {
    class Orders {
      @OnPasisEvent('session:processed')
      settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
        expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>();
        return ctx.deliveryId;
      }

      @OnPasisEvent('session:created')
      any(event: PasisEvent) {
        return event.kind;
      }
    }
    expectTypeOf(Orders).toBeConstructibleWith();
  });

  it("takes core's client options and webhook options, as Fastify's plugin does", () => {
    PasisModule.forRoot({
      appId: 'app_1',
      maxRetryAfterMs: 5000,
      isGlobal: true,
      webhook: {
        path: '/webhook',
        secret: 'whsec_a',
        on: {
          'session:processed': (event) => expectTypeOf(event.status).toEqualTypeOf<'success' | 'cancelled'>(),
        },
      },
    });
    PasisModule.forRootAsync({
      useFactory: (): PasisModuleOptions => ({ webhook: { secrets: ['whsec_a'] } }),
    });
  });

  it('refuses the old spellings at compile time', () => {
    // @ts-expect-error: webhookSecret is now webhook.secret
    PasisModule.forRoot({ webhookSecret: 'whsec_a' });
    // @ts-expect-error: webhookPath is now webhook.path
    PasisModule.forRoot({ webhookPath: 'webhook' });
    // @ts-expect-error: store belongs to the webhook
    PasisModule.forRoot({ store: createMemoryStore() });
  });

  it('takes any store; handlers annotate ctx with its transaction type', () => {
    interface Tx {
      query(sql: string): Promise<unknown>;
    }
    const store = {} as WebhookStore<Tx>;
    PasisModule.forRoot({
      webhook: {
        store,
        on: {
          'session:processed': (_event, ctx: WebhookContext<Tx>) => expectTypeOf(ctx.tx).toEqualTypeOf<Tx>(),
          'session:created': (_event, ctx) => expectTypeOf(ctx.tx).toBeNever(),
        },
      },
    });
    PasisModule.forRootAsync({ useFactory: (): PasisModuleOptions => ({ webhook: { store } }) });
    PasisModule.forRoot({ webhook: { store: createMemoryStore() } });
  });
});
