#!/usr/bin/env node
// Runs every vitest project once and ends with the one plain summary line CI reads:
// `N passed, N failed, N skipped`. vitest's own summary is kept above it for people.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const results = `${root}.vitest-results.json`;
rmSync(results, { force: true });

const vitest = spawnSync(
  'pnpm',
  [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
);

if (!existsSync(results)) {
  console.log('vitest produced no results (it crashed before reporting).');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(results, 'utf8'));
const passed = report.numPassedTests ?? 0;
// A suite that failed to load (syntax error, failing beforeAll) has no failed tests but must count.
const failedSuites = (report.testResults ?? []).filter(
  (r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0);
