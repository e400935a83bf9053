/**
 * `pnpm --filter <package> test` runs that package's tests, for every workspace package that
 * has any: each script is run for real through pnpm, in list mode (scripts/test.mjs --list),
 * and must select its package's own test files (the examples: their shop's suites in tests/).
 * And a test command that selects nothing fails instead of passing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const lists = mkdtempSync(join(tmpdir(), 'pasis-test-lists-'));
afterAll(() => rmSync(lists, { recursive: true, force: true }));

interface WorkspacePackage {
  dir: string;
  name: string;
  scripts: Record<string, string>;
}

const packages: WorkspacePackage[] = ['packages', 'examples']
  .flatMap((parent) => readdirSync(join(root, parent)).map((name) => `${parent}/${name}`))
  .concat(['tests', 'bench'])
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    return { dir, name: manifest.name, scripts: manifest.scripts ?? {} };
  });

/** The test files inside a package's own folder (vitest's names: *.test.ts, *.test-d.ts). */
function ownTestFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(join(root, at), { withFileTypes: true })) {
      const path = `${at}/${entry.name}`;
      if (entry.isDirectory() && !['node_modules', 'dist', 'fixtures'].includes(entry.name)) walk(path);
      else if (entry.isFile() && /\.test(-d)?\.tsx?$/.test(entry.name)) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/** What `pnpm --filter <name> test` would run: its script, for real, asked for the list only. */
async function listedBy(pkg: WorkspacePackage): Promise<string[]> {
  const out = join(lists, `${pkg.dir.replace('/', '-')}.json`);
  await run('pnpm', ['--filter', pkg.name, 'test', `--list=${out}`], { cwd: root });
  const listed: { file: string }[] = JSON.parse(readFileSync(out, 'utf8'));
  return [...new Set(listed.map(({ file }) => relative(root, file)))].sort();
}

// The example shops keep their tests in tests/ (e2e per shop): their scripts run those.
const SHOP_SUITES = ['tests/e2e/shops.e2e.test.ts', 'tests/browser/shops.browser.test.ts'];

describe('every workspace package with tests has a test script that runs them', () => {
  it('has a test script wherever there are tests (the examples: in tests/)', () => {
    const withTests = packages.filter(
      (pkg) => ownTestFiles(pkg.dir).length > 0 || pkg.dir.startsWith('examples/'),
    );
    expect(withTests.length).toBeGreaterThan(8);
    const missing = withTests.filter((pkg) => !pkg.scripts.test).map((pkg) => pkg.dir);
    expect(missing, 'packages with tests but no test script').toEqual([]);
  });

  it.each(packages.filter((pkg) => pkg.scripts.test).map((pkg) => [pkg.dir, pkg] as const))(
    '%s: its test script selects its tests',
    async (dir, pkg) => {
      const listed = await listedBy(pkg);
      expect(listed.length).toBeGreaterThan(0);
      const own = ownTestFiles(dir);
      expect(
        own.filter((file) => !listed.includes(file)),
        'own test files its script does not run',
      ).toEqual([]);
      if (dir === 'examples/shop-kit') expect(listed).toContain('tests/e2e/shop-kit.test.ts');
      else if (dir.startsWith('examples/')) expect(listed).toEqual(expect.arrayContaining(SHOP_SUITES));
    },
  );
});

describe('a test command that runs nothing fails', () => {
  it('no vitest config or test script sets passWithNoTests', () => {
    const configs = ['vitest.config.ts', 'vitest.shared.ts', 'vitest.workspace.ts', 'package.json']
      .concat(packages.flatMap((pkg) => [`${pkg.dir}/vitest.config.ts`, `${pkg.dir}/package.json`]))
      .filter((file) => existsSync(join(root, file)));
    const setting = configs.filter((file) =>
      readFileSync(join(root, file), 'utf8').includes('passWithNoTests'),
    );
    expect(setting).toEqual([]);
  });

  it('pnpm --filter <package> test with a filter that matches no file exits non-zero', async () => {
    const failed = await run(
      'pnpm',
      ['--filter', '@pasis/redis', 'test', '--no-build', 'no-such-test-file'],
      {
        cwd: root,
      },
    ).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failed?.code).not.toBe(0);
    expect(`${failed?.stdout}${failed?.stderr}`).toContain('No test files found');
    expect(failed?.stdout).toMatch(/^0 passed, 1 failed, 0 skipped$/m);
  });
});
