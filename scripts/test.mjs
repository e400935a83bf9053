#!/usr/bin/env node
// `pnpm test [vitest args]`: builds what changed (scripts/build.mjs), starts a throwaway
// PostgreSQL when the selected projects need one and none is given, runs vitest once, and
// ends with the one plain line CI reads: `N passed, N failed, N skipped` (vitest's own summary
// stays above it for people). Every package's `test` script calls it with its own project:
//
//   node scripts/test.mjs --project core [file filters …]   # pnpm --filter @pasis/core test
//   node scripts/test.mjs --shop express                     # pnpm --filter @pasis/example-express test
//   node scripts/test.mjs --list=<file> …                    # only which test files it would run (JSON)
//   node scripts/test.mjs --no-build …                       # skip the build
//
// PostgreSQL: PASIS_TEST_DATABASE_URL when set; else, with Debian's binaries installed, a
// cluster from scripts/postgres-cluster.sh, stopped afterwards whatever happens (a failure,
// Ctrl-C); else the PostgreSQL suites skip loudly (fail under CI=true). Redis suites start
// their own redis-server.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStale } from './build.mjs';
import { hasPostgresBinaries, startPostgres } from './lib/throwaway-postgres.mjs';
import { summarize, summaryLine } from './lib/vitest-summary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const SHOPS = ['express', 'fastify', 'nestjs'];
// The example shops' tests live in tests/ and run every shop unless PASIS_TEST_SHOPS names some.
const SHOP_TESTS = ['tests/e2e/', 'tests/browser/', 'tests/demo/demo.test'];
// The projects whose suites use PASIS_TEST_DATABASE_URL.
const NEEDS_POSTGRES = ['postgres', 'e2e'];

let child; // vitest, once started
let interrupted = false; // by Ctrl-C or a kill: the run is not a result
const args = process.argv.slice(2);
const take = (flag) => {
  const at = args.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (at === -1) return undefined;
  const [arg] = args.splice(at, 1);
  return arg.includes('=') ? arg.slice(flag.length + 1) : flag === '--shop' ? args.splice(at, 1)[0] : true;
};
const noBuild = take('--no-build');
const list = take('--list');
const shop = take('--shop');
const env = { ...process.env };
if (shop !== undefined) {
  if (!SHOPS.includes(shop)) {
    console.error(`scripts/test.mjs: --shop ${shop}: expected one of ${SHOPS.join(', ')}`);
    process.exit(2);
  }
  env.PASIS_TEST_SHOPS = shop;
  // File filters given (`… test silent-pasis`) narrow the run; without any, the shop suites.
  const filters = args.filter((arg, i) => !arg.startsWith('-') && !/^-[^=]*$/.test(args[i - 1] ?? ''));
  args.unshift('--project', 'e2e', ...(filters.length > 0 ? [] : SHOP_TESTS));
}
const projects = args.flatMap((arg, i) =>
  arg === '--project' ? [args[i + 1]] : arg.startsWith('--project=') ? [arg.slice(10)] : [],
);

if (list === true) {
  console.error('scripts/test.mjs: --list=<file>: where to write the JSON list of test files');
  process.exit(2);
}
if (list) {
  const code = await vitest(['list', '--filesOnly', `--json=${list}`, ...args], env);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    interrupted = true;
    // A terminal's Ctrl-C reaches vitest too; a signal sent to this process alone must as well.
    child?.kill(signal);
  });
}

let postgres;
let code = 1;
const results = join(tmpdir(), `pasis-vitest-${process.pid}.json`);
try {
  if (!noBuild) await buildStale({ root });
  const needsPostgres = projects.length === 0 || projects.some((p) => NEEDS_POSTGRES.includes(p));
  if (needsPostgres && !env.PASIS_TEST_DATABASE_URL && hasPostgresBinaries() && !interrupted) {
    postgres = startPostgres();
    env.PASIS_TEST_DATABASE_URL = postgres.url;
    console.log(`PostgreSQL for the tests: ${postgres.url} (a throwaway cluster in ${postgres.dir})`);
  }
  if (!interrupted) {
    code = await vitest(
      ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...args],
      env,
    );
  }
} catch (error) {
  console.error(`scripts/test.mjs: ${error.message}`);
} finally {
  postgres?.stop();
}
// A signal that reached this process while it waited in a synchronous call (the cluster's
// stop) has its handler run on the next turn of the event loop: let it run before deciding.
await new Promise((resolve) => setImmediate(resolve));

const counts = interrupted ? undefined : summarize(results);
rmSync(results, { force: true });
if (interrupted) console.log('Interrupted.');
else if (!counts)
  console.log('vitest produced no results (it crashed, or failed to start, before reporting).');
console.log(summaryLine(counts ?? { passed: 0, failed: 1, skipped: 0 }));
process.exit(interrupted ? 130 : counts && counts.failed === 0 && code === 0 ? 0 : 1);

function vitest(vitestArgs, vitestEnv) {
  return new Promise((resolve) => {
    // vitest's own bin, no `pnpm exec` in between: a signal forwarded here reaches vitest itself.
    child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), ...vitestArgs], {
      cwd: root,
      env: vitestEnv,
      stdio: 'inherit',
    });
    child.once('error', () => resolve(1));
    child.once('exit', (exit, signal) => {
      // vitest ended by Ctrl-C (or a kill) is an interrupted run, whatever order the signals came in.
      if (signal === 'SIGINT' || signal === 'SIGTERM' || exit === 130) interrupted = true;
      resolve(exit ?? 1);
    });
  });
}
