/**
 * The public names of every published entry point are the ones docs/public-names.md lists
 * (`scripts/public-names.mjs --check`, on the built packages): an export added or dropped by
 * accident fails here, and core's main entry stays within its budget of 75 names.
 * Needs `pnpm build` first; the root `pnpm test` builds.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = join(root, 'scripts/public-names.mjs');
const committed = readFileSync(join(root, 'docs/public-names.md'), 'utf8');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'pasis-public-names-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the check against `report`; resolves with its exit code and what it said. */
async function check(report: string) {
  const file = join(scratch, `report-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(file, report);
  return run(process.execPath, [script, '--check', '--report', file], { cwd: root }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );
}

/** The names listed under one entry of the report. */
const namesOf = (report: string, entry: string) => {
  const section = report.split(`\n## ${entry} (`)[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith('- '));
};

describe('the public names', () => {
  it('are exactly those of docs/public-names.md', async () => {
    const { code, output } = await check(committed);
    expect(output, output).toContain('match');
    expect(code).toBe(0);
  });

  it('fail the check when an entry exports a name the report does not list', async () => {
    const withoutOne = committed.replace(/\n- `createWebhookHandler` value/, '');
    const { code, output } = await check(withoutOne);
    expect(code).toBe(1);
    expect(output).toContain('+ @pasis/core: `createWebhookHandler` value (exported, not in the report)');
  });

  it("keep core's main entry within 75 names, for applications only", () => {
    const main = namesOf(committed, '@pasis/core');
    expect(main.length).toBeGreaterThan(0);
    expect(main.length).toBeLessThanOrEqual(75);
    for (const forAdapters of [
      'resolveAdapterOptions',
      'splitRouteOptions',
      'routeArguments',
      'withPackageName',
    ]) {
      expect(main.join('\n')).not.toContain(`\`${forAdapters}\``);
      expect(namesOf(committed, '@pasis/core/adapter').join('\n')).toContain(`\`${forAdapters}\``);
    }
  });
});
