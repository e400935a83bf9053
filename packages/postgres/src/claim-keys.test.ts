import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate } from './index.js';
import { type Backend, pgBackend, pgliteBackend } from './test-support/backends.js';
import { databaseForTests } from './test-support/database.js';

// On pg the key is written into the claim's SQL as a literal (one round trip): every one of
// these must be stored exactly as given, and none may run as SQL.
const awkward = [
  "session:processed/it's/success",
  'delivery/back\\slash\\',
  "delivery/'); DROP TABLE pasis_webhook_deliveries; --",
  "delivery/E'\\''",
  'delivery/$$dollar$$',
  'delivery/ünïcödé ✓ 支付',
  `delivery/${'x'.repeat(500)}`,
];

function keyScenarios(name: string, setup: () => Promise<Backend>) {
  describe(`claim keys are data, never SQL (${name})`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await setup();
      await migrate(backend.db);
    });
    afterAll(() => backend?.close());

    it.each(awkward)('stores %j exactly, and knows it afterwards', async (key) => {
      const store = createPostgresStore({ db: backend.db, pruneIntervalMs: 0 });
      const claim = await store.claim(key, { leaseMs: 1000 });
      if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
      await store.complete(key, claim.token, { ttlMs: 1000 });
      expect(await store.claim(key, { leaseMs: 1000 })).toEqual({ state: 'completed' });
      const { rows } = await backend.query(
        'SELECT dedupe_key FROM pasis_webhook_deliveries WHERE dedupe_key = $1',
        [key],
      );
      expect(rows).toEqual([{ dedupe_key: key }]);
    });
  });
}

const database = await databaseForTests('PostgreSQL claim keys');
const legacy =
  database && (await databaseForTests('PostgreSQL claim keys (standard_conforming_strings off)'));
if (database && legacy) {
  keyScenarios('pg', async () => pgBackend(database));
  // Where backslashes in '...' are escapes (an old server setting), they must still be data.
  keyScenarios('pg, standard_conforming_strings off', async () =>
    pgBackend(legacy, { options: '-c standard_conforming_strings=off' }),
  );
}
keyScenarios('PGlite', pgliteBackend);
