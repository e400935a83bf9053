// A vitest globalSetup for the projects whose suites need database servers (sql, nestjs):
// starts, once for the whole run, the ones not given: a throwaway PostgreSQL
// (`PASIS_TEST_DATABASE_URL`, which `pnpm test` usually gives already) and a throwaway
// MariaDB (`PASIS_TEST_MYSQL_URL`), both from Debian's binaries in a temp dir, stopped and
// removed afterwards. The test workers inherit the variables. Without the binaries the
// suites skip loudly, and fail under `CI=true` (each suite's own check).
import { hasMariadbBinaries, startMariadb } from './throwaway-mariadb.mjs';
import { hasPostgresBinaries, startPostgres } from './throwaway-postgres.mjs';

export default async function setup() {
  const stops = [];
  try {
    if (!process.env.PASIS_TEST_DATABASE_URL && hasPostgresBinaries()) {
      const postgres = startPostgres();
      stops.push(() => postgres.stop());
      process.env.PASIS_TEST_DATABASE_URL = postgres.url;
    }
    if (!process.env.PASIS_TEST_MYSQL_URL && hasMariadbBinaries()) {
      const mariadb = await startMariadb();
      stops.push(() => mariadb.stop());
      process.env.PASIS_TEST_MYSQL_URL = mariadb.url;
    }
  } catch (error) {
    for (const stop of stops) stop();
    throw error;
  }
  return () => {
    for (const stop of stops) stop();
  };
}
