// A throwaway PostgreSQL for `pnpm test`, through scripts/postgres-cluster.sh (Debian's
// binaries, a temp dir, 127.0.0.1 on a free port), so that the PostgreSQL suites run without
// anyone knowing about that script, as the Redis suites start their own redis-server.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const CLUSTER = new URL('../postgres-cluster.sh', import.meta.url).pathname;

/**
 * Whether Debian's PostgreSQL server binaries are installed (`/usr/lib/postgresql/<v>/bin/initdb`).
 *
 * @example
 * hasPostgresBinaries(); // true after `apt-get install postgresql`
 */
export function hasPostgresBinaries(base = '/usr/lib/postgresql') {
  try {
    return readdirSync(base).some((version) => existsSync(join(base, version, 'bin', 'initdb')));
  } catch {
    return false;
  }
}

/**
 * Starts a cluster and resolves with its URL and how to stop it (stopping removes its dir).
 * Throws with the cluster's own log when it cannot start.
 *
 * @example
 * const pg = startPostgres();
 * try { run({ PASIS_TEST_DATABASE_URL: pg.url }); } finally { pg.stop(); }
 */
export function startPostgres() {
  // The script prints `export NAME=value` lines (printf %q: our values need no unquoting).
  const out = execFileSync('bash', [CLUSTER, 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    [...out.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name, value.trim()]),
  );
  if (!vars.PASIS_TEST_DATABASE_URL || !vars.PASIS_PG_DIR) {
    throw new Error(`postgres-cluster.sh start printed no URL: ${out}`);
  }
  let stopped = false;
  return {
    url: vars.PASIS_TEST_DATABASE_URL,
    dir: vars.PASIS_PG_DIR,
    /** Stops the server and removes its dir; idempotent, synchronous (safe in an exit path). */
    stop() {
      if (stopped) return;
      stopped = true;
      spawnSync('bash', [CLUSTER, 'stop', vars.PASIS_PG_DIR], { stdio: 'inherit' });
    },
  };
}
