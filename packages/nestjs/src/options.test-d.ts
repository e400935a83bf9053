import { createMemoryStore } from '@pasis/core';
import { describe, expectTypeOf, it } from 'vitest';
import { PasisModule, type PasisModuleOptions } from './index.js';

describe('PasisModule options types', () => {
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
});
