import type { PGlite, Transaction } from '@electric-sql/pglite';
import { createWebhookHandler, type WebhookStore } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import type { Pool, PoolClient } from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import { createPostgresStore, type PostgresStore, type PostgresTransaction } from './index.js';

declare const pool: Pool;
declare const pglite: PGlite;

describe('@pasis/postgres types', () => {
  it('types the store, and ctx.tx.client, by the database given', () => {
    expectTypeOf(createPostgresStore({ db: pool })).toEqualTypeOf<PostgresStore<PoolClient>>();
    expectTypeOf(createPostgresStore({ db: pglite })).toEqualTypeOf<PostgresStore<Transaction>>();
    expectTypeOf(createPostgresStore({ db: pool })).toMatchTypeOf<
      WebhookStore<PostgresTransaction<PoolClient>>
    >();
  });

  it('types ctx.tx in handlers of createWebhookHandler and pasisWebhook', () => {
    const store = createPostgresStore({ db: pool });
    const webhooks = createWebhookHandler({
      store,
      on: {
        'session:processed': async (event, ctx) => {
          expectTypeOf(ctx.tx).toEqualTypeOf<PostgresTransaction<PoolClient>>();
          expectTypeOf(ctx.tx.client).toEqualTypeOf<PoolClient>();
          const { rows, rowCount } = await ctx.tx.query<{ id: number }>(
            'SELECT id FROM orders WHERE session_id = $1',
            [event.session_id],
          );
          expectTypeOf(rows).toEqualTypeOf<{ id: number }[]>();
          expectTypeOf(rowCount).toBeNumber();
        },
      },
    });
    webhooks.on('session:created', (_event, ctx) => expectTypeOf(ctx.tx.client).toEqualTypeOf<PoolClient>());

    pasisWebhook({
      store: createPostgresStore({ db: pglite }),
      on: { 'session:processed': (_event, ctx) => expectTypeOf(ctx.tx.client).toEqualTypeOf<Transaction>() },
    });
  });

  it('refuses what is not a database, and misspelt options', () => {
    // @ts-expect-error: db is required
    createPostgresStore({});
    // @ts-expect-error: a string is not a database
    createPostgresStore({ db: 'postgres://localhost' });
    // @ts-expect-error: lockTimeout is not an option (lockTimeoutMs is)
    createPostgresStore({ db: pool, lockTimeout: 1000 });
  });
});
