#!/usr/bin/env node
// One runner for every benchmark: runs each bench/*.bench.mjs (each measures ours against a
// baseline in the same run), prints one table of ratios and writes it as JSON and markdown to
// bench/results/. Targets are ratios, never absolute times: these machines are noisy.
//
//   node --expose-gc bench/run.mjs [--runs N] [--quick] [filter …]
//
// Each file runs in a fresh child process (support/run-one.mjs) per run, so no benchmark
// inherits another's JIT state, heap or pinned cores, and a crash is one error row. With
// --runs N, the runs are N consecutive passes over all the files (never one file N times in a
// row), so a slow minute on the shared machine lands on different benchmarks, not on all the
// runs of one. --quick (PASIS_BENCH_QUICK=1 for the children) is a smoke run: tiny counts,
// rows marked quick, never a measurement.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aggregate, markdown, tableRows } from './support/report.mjs';

// A file that has not answered after this long is killed (its servers exit with it).
const FILE_TIMEOUT_MS = 20 * 60_000;

const here = fileURLToPath(new URL('.', import.meta.url));
const { values, positionals: only } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, quick: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs takes a whole number ≥ 1, not "${values.runs}"`);
  process.exit(2);
}
const quick = values.quick || /^(1|true|yes)$/i.test(process.env.PASIS_BENCH_QUICK ?? '');
const all = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .sort();
const files = all.filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`no bench file matches ${only.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}

/** Runs one file in a fresh process; resolves to its rows, or to one error row. */
function runFile(file) {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(new URL('./support/run-one.mjs', import.meta.url)), [`${here}${file}`], {
      execArgv: ['--expose-gc'],
      env: { ...process.env, ...(quick ? { PASIS_BENCH_QUICK: '1' } : {}) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message;
    const timer = setTimeout(() => {
      message ??= { error: `no answer after ${FILE_TIMEOUT_MS / 60_000} min; killed` };
      child.kill('SIGKILL');
    }, FILE_TIMEOUT_MS);
    child.on('message', (m) => {
      message ??= m;
    });
    child.on('error', (error) => {
      message ??= { error: String(error?.stack ?? error) };
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      message ??= { error: `its process exited (${signal ?? `code ${code}`}) before sending rows` };
      resolve(
        message.error
          ? [{ file, name: file, error: message.error, ok: false }]
          : message.rows.map((row) => ({ file, ...row })),
      );
    });
  });
}

const raw = [];
for (let pass = 1; pass <= runs; pass++) {
  const rows = [];
  for (const file of files) {
    process.stdout.write(`[run ${pass}/${runs}] ${file} …\n`);
    rows.push(...(await runFile(file)));
  }
  raw.push(rows);
}

const rows = aggregate(raw);
console.log();
console.table(tableRows(rows));

let commit;
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
} catch {
  // Not a git checkout (a tarball): the report simply has no commit.
}
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  commit,
  runs,
  quick,
  files,
  rows,
  raw,
};
const stamp = report.date.replace(/[:.]/g, '-');
const json = `${JSON.stringify(report, null, 2)}\n`;
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/${stamp}.json`, json);
writeFileSync(`${here}results/latest.json`, json);
writeFileSync(`${here}results/latest.md`, markdown(rows, report));
console.log(`\nwritten: bench/results/${stamp}.json, bench/results/latest.json and bench/results/latest.md`);
process.exit(raw.flat().some((r) => r.error) ? 1 : 0);
