import type { PGlite } from '@electric-sql/pglite';
import type { PasisLogger } from '@pasis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate } from './index.js';
import { pgliteForTests } from './test-support/database.js';

const lockTimeoutMs = 300;
let keys = 0;
const key = () => `pglite:${++keys}`;

function claimed(result: { state: string; token?: string }): string {
  if (result.state !== 'claimed') throw new Error(`expected a claim, got ${result.state}`);
  return result.token!;
}

describe('the PostgreSQL store on PGlite (one connection)', () => {
  let db: PGlite;
  const warnings: { message: string; meta?: Record<string, unknown> }[] = [];
  const logger: PasisLogger = {
    debug() {},
    info() {},
    warn: (message, meta) => void warnings.push({ message, meta }),
    error() {},
  };
  beforeAll(async () => {
    db = await pgliteForTests();
    await migrate(db);
  });
  afterAll(() => db.close());
  const store = () => createPostgresStore({ db, lockTimeoutMs, pruneIntervalMs: 0, logger });
  const recorded = async (k: string) =>
    (await db.query('SELECT 1 FROM pasis_webhook_deliveries WHERE dedupe_key = $1', [k])).rows.length;

  it('serialises deliveries: another key waits too, and a claim that gave up keeps nothing', async () => {
    const s = store();
    const [held, other] = [key(), key()];
    const token = claimed(await s.claim(held, { leaseMs: 1000 }));
    // PGlite is busy with the first transaction: the second waits for it, then gives up.
    expect(await s.claim(other, { leaseMs: 1000 })).toEqual({ state: 'in_progress' });
    await s.complete(held, token, { ttlMs: 1000 });
    // Its transaction starts now, finds nobody waiting and rolls back at once: no record, and
    // the next claim of that key gets it (had it kept or held it: completed or in_progress).
    const again = claimed(await s.claim(other, { leaseMs: 1000 }));
    await s.release(other, again);
    expect([await recorded(held), await recorded(other)]).toEqual([1, 0]);
  });

  it('warns when a handler holds PGlite too long, e.g. waiting on a query through db instead of ctx.tx', async () => {
    warnings.length = 0;
    const s = store();
    const k = key();
    const token = claimed(await s.claim(k, { leaseMs: 1000 }));
    // What a handler that forgot ctx.tx does: this waits for the claim's own transaction.
    let direct = false;
    const query = db.query('SELECT 1').then(() => (direct = true));
    for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(direct).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('write through ctx.tx');
    expect(warnings[0]!.meta).toEqual({ key: k });
    // Ending the delivery (core does on a timeout or a throw) frees PGlite again.
    await s.release(k, token);
    await query;
    expect(direct).toBe(true);
  });
});
