/**
 * `pnpm test` with no PASIS_TEST_DATABASE_URL starts a throwaway PostgreSQL itself (when
 * Debian's binaries are there), so the PostgreSQL suites run instead of skipping, and always
 * stops it: after a pass, after a failure, after Ctrl-C. Real runs of scripts/test.mjs on one
 * small PostgreSQL suite.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SUITE = 'claim-keys'; // packages/postgres/src/claim-keys.test.ts: pg and PGlite
const hasPostgres = (() => {
  try {
    return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  } catch {
    return false;
  }
})();

/** Runs scripts/test.mjs in its own process group, as a terminal would; `onOutput` may signal it. */
function runTests(args: string[], onOutput?: (output: string, group: number) => void, databaseUrl?: string) {
  // The outer run's server is not this one's.
  const { PASIS_TEST_DATABASE_URL: _outer, ...env } = process.env;
  if (databaseUrl) env.PASIS_TEST_DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, ['scripts/test.mjs', '--no-build', ...args], {
    cwd: root,
    env: { ...env, CI: 'true' }, // a PostgreSQL suite that finds no server fails instead of skipping
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
    onOutput?.(output, child.pid!);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<{ code: number | null; output: string; cluster: string }>((resolve) =>
    child.once('close', (code) => {
      const cluster = /a throwaway cluster in (\S+)\)/.exec(output)?.[1] ?? '';
      resolve({ code, output, cluster });
    }),
  );
}

describe.runIf(hasPostgres)('pnpm test and PostgreSQL', () => {
  it('starts a cluster when none is given, runs the PostgreSQL suites on it, then removes it', async () => {
    const { code, output, cluster } = await runTests(['--project', 'postgres', SUITE]);
    expect(code, output).toBe(0);
    expect(cluster).toMatch(/pasis-pg\./);
    expect(output).toMatch(/^[1-9]\d* passed, 0 failed, 0 skipped$/m);
    expect(existsSync(cluster)).toBe(false);
  });

  it('removes it after a failed run', async () => {
    const { code, output, cluster } = await runTests(['--project', 'postgres', 'no-such-test-file']);
    expect(code).toBe(1);
    expect(output).toContain('PostgreSQL for the tests');
    expect(existsSync(cluster)).toBe(false);
  });

  it('removes it after Ctrl-C', async () => {
    let sent = false;
    // The whole project (tens of seconds), so that it is still running when Ctrl-C comes.
    const { code, output, cluster } = await runTests(['--project', 'postgres'], (text, group) => {
      // Ctrl-C as a terminal sends it, to the whole group, once the run is under way.
      if (!sent && text.includes('PostgreSQL for the tests')) {
        process.kill(-group, 'SIGINT');
        sent = true;
      }
    });
    expect(sent).toBe(true);
    expect(code, output).toBe(130);
    expect(output).toMatch(/Interrupted\.\n0 passed, 1 failed, 0 skipped/);
    expect(existsSync(cluster)).toBe(false);
  });

  it('starts none when PASIS_TEST_DATABASE_URL is set', async () => {
    const given = 'postgres://postgres@127.0.0.1:1/given';
    const { code, output } = await runTests(['--project', 'postgres', 'no-such-test-file'], undefined, given);
    expect(code).toBe(1);
    expect(output).toContain('No test files found');
    expect(output).not.toContain('PostgreSQL for the tests');
  });
});
