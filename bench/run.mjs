#!/usr/bin/env node
// One runner for every benchmark: runs each bench/*.bench.mjs (each measures ours against a
// baseline in the same run), prints one table of ratios and writes it as JSON to
// bench/results/. Targets are ratios, never absolute times: these machines are noisy.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
for (const file of files) {
  process.stdout.write(`running ${file} …\n`);
  try {
    const mod = await import(pathToFileURL(`${here}${file}`).href);
    const result = await mod.run();
    for (const row of Array.isArray(result) ? result : [result]) rows.push({ file, ...row });
  } catch (error) {
    rows.push({ file, name: file, error: String(error?.stack ?? error), ok: false });
  }
}

const fmt = (n) =>
  typeof n === 'number' ? (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(3)) : '';
const table = rows.map((r) => ({
  benchmark: r.name,
  unit: r.unit ?? '',
  ours: fmt(r.ours),
  baseline: r.baselineName ? `${fmt(r.baseline)} (${r.baselineName})` : fmt(r.baseline),
  ratio: fmt(r.ratio),
  goal: r.goal ?? '',
  ok: r.error
    ? `error: ${r.error.split('\n')[0]}`
    : r.skipped
      ? `not run: ${r.skipped}`
      : r.ok
        ? 'yes'
        : 'NO',
}));
console.log();
console.table(table);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  rows,
};
mkdirSync(`${here}results`, { recursive: true });
writeFileSync(`${here}results/${stamp}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${here}results/latest.json`, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: bench/results/${stamp}.json and bench/results/latest.json`);
process.exit(rows.some((r) => r.error) ? 1 : 0);
