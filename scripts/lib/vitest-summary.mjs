// The one plain line CI reads at the end of `pnpm test`, from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

/**
 * Counts from vitest's JSON report at `file`: `{ passed, failed, skipped }`, or undefined when
 * vitest wrote none (it crashed, or was interrupted, before reporting). A suite that failed
 * to load (a syntax error, a failing beforeAll) has no failed test but counts as one, and a
 * run with no test at all counts as a failure: a test command that ran nothing has not passed.
 *
 * @example
 * summarize('/tmp/results.json'); // { passed: 1200, failed: 0, skipped: 0 }
 */
export function summarize(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const passed = report.numPassedTests ?? 0;
  const failedSuites = (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed'),
  ).length;
  let failed = (report.numFailedTests ?? 0) + failedSuites;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (passed + failed + skipped === 0) failed = 1;
  return { passed, failed, skipped };
}

/**
 * The line itself.
 *
 * @example
 * summaryLine({ passed: 3, failed: 0, skipped: 1 }); // '3 passed, 0 failed, 1 skipped'
 */
export function summaryLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
