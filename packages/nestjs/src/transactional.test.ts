import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { ClsPluginTransactional, Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import {
  createMemoryStore,
  isPasisError,
  type PasisEventOf,
  type SessionProcessedEvent,
  type WebhookContext,
} from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { createSqlStore, fromTransactionHost, fromTypeORM, migrate } from '@pasis/sql';
import { ClsModule } from 'nestjs-cls';
import { DataSource, type EntityManager, EntitySchema } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnPasisEvent, PASIS_WEBHOOKS, PasisModule, type WebhookHandler } from './index.js';
import { boot } from './test-support/app.js';
import { postgresForTests } from './test-support/postgres.js';

// A Nest app that holds its transactions with @nestjs-cls/transactional (TypeORM adapter):
// the Pasis store opens each delivery's transaction through the app's TransactionHost, so
// the handler writes with txHost.tx, in a @Transactional() method, as everywhere else.
const secret = generateWebhookSecret();
interface Payment {
  id: number;
  sessionId: string;
  deliveryId: string;
}
const PaymentEntity = new EntitySchema<Payment>({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: { type: Number, primary: true, generated: true },
    sessionId: { type: String, name: 'session_id' },
    deliveryId: { type: String, name: 'delivery_id' },
  },
});
const database = await postgresForTests('Nest with @nestjs-cls/transactional');
afterAll(() => database?.drop());
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_nest_${++sessions}`,
  amount: 5000,
  status: 'success',
});

@Module({
  providers: [
    {
      provide: DataSource,
      useFactory: () =>
        new DataSource({ type: 'postgres', url: database!.url, entities: [PaymentEntity] }).initialize(),
    },
  ],
  exports: [DataSource],
})
class DatabaseModule {}

@Injectable()
class Ledger {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  // Propagation REQUIRED: joins the delivery's transaction.
  @Transactional()
  async record(event: SessionProcessedEvent, deliveryId: string) {
    await this.txHost.tx.getRepository(PaymentEntity).insert({ sessionId: event.session_id, deliveryId });
  }
}

const seen: { source: string; active: boolean; same: boolean }[] = [];
let failNext = false;

@Injectable()
class Settlement {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly ledger: Ledger,
  ) {}

  @OnPasisEvent('session:processed')
  async settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext<EntityManager>) {
    seen.push({
      source: ctx.source,
      active: this.txHost.isTransactionActive(),
      same: this.txHost.tx === ctx.tx,
    });
    await this.ledger.record(event, ctx.deliveryId);
    if (failNext) throw new Error('the handler fails after its write');
  }
}

const cls = ClsModule.forRoot({
  global: true,
  plugins: [
    new ClsPluginTransactional({
      imports: [DatabaseModule],
      adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: DataSource }),
    }),
  ],
});

function appModule(store: 'on the host' | 'in memory') {
  @Module({
    imports: [
      cls,
      DatabaseModule,
      PasisModule.forRootAsync({
        imports: [DatabaseModule],
        inject: [TransactionHost, DataSource],
        useFactory: (txHost: TransactionHost<TransactionalAdapterTypeOrm>, dataSource: DataSource) => ({
          webhook: {
            secret,
            store:
              store === 'on the host'
                ? createSqlStore({
                    db: fromTransactionHost(txHost, fromTypeORM(dataSource)),
                    lockTimeoutMs: 2_000,
                  })
                : createMemoryStore(),
          },
        }),
      }),
    ],
    providers: [Settlement, Ledger],
  })
  class AppModule {}
  return AppModule;
}

describe.runIf(database)('PasisModule with @nestjs-cls/transactional (TypeORM adapter) on PostgreSQL', () => {
  let app: Awaited<ReturnType<typeof boot>>;
  let count: (sessionId: string) => Promise<number>;
  beforeAll(async () => {
    const setup = await new DataSource({ type: 'postgres', url: database!.url }).initialize();
    await migrate(fromTypeORM(setup));
    await setup.query(
      'CREATE TABLE payments (id serial PRIMARY KEY, session_id text NOT NULL, delivery_id text NOT NULL)',
    );
    count = async (sessionId) =>
      Number(
        (await setup.query('SELECT count(*) AS n FROM payments WHERE session_id = $1', [sessionId]))[0].n,
      );
    app = await boot(appModule('on the host'), 'express');
  });
  afterAll(async () => {
    await app?.app.close();
  });
  const deliver = async (event: SessionProcessedEvent, id: string) => {
    const delivery = signWebhook(event, { secret, id });
    const response = await fetch(`${app.url}/webhook`, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
    });
    return `${response.status} ${((await response.json()) as { outcome?: string }).outcome ?? ''}`.trim();
  };

  it('runs the handler in the delivery’s transaction: 10 concurrent duplicates leave one payment', async () => {
    const event = paid();
    seen.length = 0;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(event, `msg_dup_${i}`)));
    expect(answers.filter((a) => a === '200 handled')).toHaveLength(1);
    expect(answers.filter((a) => a === '200 duplicate')).toHaveLength(9);
    expect(await count(event.session_id)).toBe(1);
    expect(seen).toEqual([{ source: 'webhook', active: true, same: true }]);
  });

  it('answers a throwing handler 500 and commits nothing of it; the redelivery is handled', async () => {
    const event = paid();
    failNext = true;
    expect(await deliver(event, 'msg_throws')).toBe('500');
    expect(await count(event.session_id)).toBe(0);
    failNext = false;
    expect(await deliver(event, 'msg_throws')).toBe('200 handled');
    expect(await count(event.session_id)).toBe(1);
  });

  it('runs the reconciler’s events in the active transaction too', async () => {
    const event = paid();
    seen.length = 0;
    const webhooks = app.app.get<WebhookHandler<unknown>>(PASIS_WEBHOOKS);
    const meta = {
      source: 'reconcile',
      deliveryId: `reconcile:${event.session_id}`,
      confirmed: true,
    } as const;
    expect(await webhooks.receive(event, meta)).toEqual({ ok: true, outcome: 'handled' });
    expect(await webhooks.receive(event, meta)).toEqual({ ok: true, outcome: 'duplicate' });
    expect(seen).toEqual([{ source: 'reconcile', active: true, same: true }]);
    expect(await count(event.session_id)).toBe(1);
    expect(await deliver(event, 'msg_after_reconcile')).toBe('200 duplicate');
  });

  it('refuses to boot when the store does not open its transactions through the TransactionHost', async () => {
    const failure = await boot(appModule('in memory'), 'express').then(
      async (booted) => {
        await booted.app.close();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(isPasisError(failure, 'config_error')).toBe(true);
    expect((failure as Error).message).toMatch(
      /^@pasis\/nestjs: this app holds its transactions with @nestjs-cls\/transactional/,
    );
    expect((failure as Error).message).toContain('fromTransactionHost(txHost, fromPrisma(prisma))');
  });
});

// Without nestjs-cls: the module takes a store on a bridge directly, and the handler writes
// through ctx.tx, TypeORM's own EntityManager of the delivery's transaction.
@Injectable()
class DirectSettlement {
  @OnPasisEvent('session:processed')
  async settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext<EntityManager>) {
    await ctx.tx
      .getRepository(PaymentEntity)
      .insert({ sessionId: event.session_id, deliveryId: ctx.deliveryId });
  }
}

@Module({
  imports: [
    DatabaseModule,
    PasisModule.forRootAsync({
      imports: [DatabaseModule],
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => ({
        webhook: { secret, store: createSqlStore({ db: fromTypeORM(dataSource), lockTimeoutMs: 2_000 }) },
      }),
    }),
  ],
  providers: [DirectSettlement],
})
class DirectModule {}

describe.runIf(database)('PasisModule with a store on a TypeORM bridge, without nestjs-cls', () => {
  it('runs the handler in the delivery’s transaction: 10 concurrent duplicates leave one payment', async () => {
    const { app, url } = await boot(DirectModule, 'fastify');
    try {
      const dataSource = app.get(DataSource);
      const event = paid();
      const answers = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const delivery = signWebhook(event, { secret, id: `msg_direct_${i}` });
          const response = await fetch(`${url}/webhook`, {
            method: 'POST',
            body: delivery.body,
            headers: delivery.headers,
          });
          return ((await response.json()) as { outcome?: string }).outcome;
        }),
      );
      expect(answers.sort()).toEqual(['duplicate', ...Array(8).fill('duplicate'), 'handled'].sort());
      const rows = await dataSource.query('SELECT count(*) AS n FROM payments WHERE session_id = $1', [
        event.session_id,
      ]);
      expect(Number(rows[0].n)).toBe(1);
    } finally {
      await app.close();
    }
  });
});
