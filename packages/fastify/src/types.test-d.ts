import type { PasisClient } from '@pasis/core';
import Fastify from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import pasis from './index.js';

describe('app.pasis types', () => {
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
});
