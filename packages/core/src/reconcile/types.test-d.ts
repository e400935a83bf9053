import { describe, expectTypeOf, it } from 'vitest';
import type { PasisClient } from '../client/create-client.js';
import type { CheckoutSessionStatus, RetrievedCheckoutSession } from '../client/retrieved-session.js';
import type { PasisError } from '../errors.js';
import type { SessionCreatedEvent, SessionProcessedEvent } from '../events/types.js';
import { confirmEvent } from '../webhooks/confirm.js';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';
import { createReconciler } from './create-reconciler.js';
import { createMemoryReconcileLease } from './memory-lease.js';
import type { CheckResult } from './results.js';

declare const pasis: PasisClient;
declare const processed: SessionProcessedEvent;
declare const created: SessionCreatedEvent;
declare const txWebhooks: WebhookReceiver<{ query(sql: string): Promise<void> }>;

describe('reconcile and confirm types', () => {
  it('retrieve is typed by its status', async () => {
    const session = await pasis.checkout.sessions.retrieve('sess_1');
    expectTypeOf(session).toEqualTypeOf<RetrievedCheckoutSession>();
    expectTypeOf(session.status).toEqualTypeOf<CheckoutSessionStatus>();
    // @ts-expect-error: a GET takes no idempotency key
    await pasis.checkout.sessions.retrieve('sess_1', { idempotencyKey: 'k' });
  });

  it('confirmEvent returns the kind it was given', async () => {
    expectTypeOf(await confirmEvent(pasis, processed)).toEqualTypeOf<SessionProcessedEvent>();
    expectTypeOf(await confirmEvent(pasis, created)).toEqualTypeOf<SessionCreatedEvent>();
  });

  it('takes a receiver with a transactional store, and sessions of any listed form', () => {
    createReconciler({ client: pasis, webhooks: txWebhooks, sessions: () => ['sess_1'] });
    createReconciler({ client: pasis, webhooks: txWebhooks, sessions: async () => [{ session_id: 's' }] });
    createReconciler({
      client: pasis,
      webhooks: txWebhooks,
      sessions: async function* () {
        yield 'sess_1';
      },
    });
    // @ts-expect-error: rows need a session_id
    createReconciler({ client: pasis, webhooks: txWebhooks, sessions: () => [{ id: 1 }] });
  });

  it('takes a lease with a leaseMs, and a lease of sync code behind a promise only', () => {
    const lease = createMemoryReconcileLease();
    createReconciler({ client: pasis, webhooks: txWebhooks, sessions: () => [], lease, leaseMs: 30_000 });
    createReconciler({
      client: pasis,
      webhooks: txWebhooks,
      sessions: () => [],
      lease: { claim: async (ids, { leaseMs }) => (leaseMs > 0 ? ids : []) },
    });
    createReconciler({
      client: pasis,
      webhooks: txWebhooks,
      sessions: () => [],
      // @ts-expect-error: claim answers a promise of the ids granted
      lease: { claim: (ids) => ids },
    });
  });

  it('takes a paged source: the cursor and the limit are typed, a page is a list', () => {
    createReconciler({
      client: pasis,
      webhooks: txWebhooks,
      sessions: {
        page: async ({ after, limit, before }) => {
          expectTypeOf(after).toEqualTypeOf<string | undefined>();
          expectTypeOf(limit).toEqualTypeOf<number>();
          expectTypeOf(before).toEqualTypeOf<Date>();
          return [{ session_id: 's' }];
        },
      },
    });
    // @ts-expect-error: a page is a list, not an async iterable
    createReconciler({ client: pasis, webhooks: txWebhooks, sessions: { page: async function* () {} } });
  });

  it('narrows a check result by its outcome', () => {
    const result = {} as CheckResult;
    if (result.outcome === 'handled') expectTypeOf(result.status).toEqualTypeOf<'success' | 'cancelled'>();
    if (result.outcome === 'open') expectTypeOf(result.session).toEqualTypeOf<RetrievedCheckoutSession>();
    if (result.outcome === 'failed') expectTypeOf(result.error).toEqualTypeOf<PasisError>();
  });
});
