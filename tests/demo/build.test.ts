import { execFile } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * scripts/build.mjs on a two-package workspace of its own, through real `pnpm run build`
 * processes: each package's build appends a line to a log outside `dist/`, so the log says
 * exactly which builds ran.
 */
describe('pnpm build (scripts/build.mjs) builds only what changed', () => {
  let dir: string;
  const builds = () => readFileSync(join(dir, 'builds.log'), 'utf8').trim().split('\n').filter(Boolean);
  const build = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [join(root, 'scripts/build.mjs'), '--root', dir, ...args, 'pkgs/a', 'pkgs/b'],
      {
        cwd: dir,
      },
    );

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pasis-build-'));
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'fixture', private: true, packageManager: rootPackage.packageManager }),
    );
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - pkgs/*\n');
    writeFileSync(join(dir, 'builds.log'), '');
    for (const name of ['a', 'b']) {
      const pkg = join(dir, 'pkgs', name);
      mkdirSync(join(pkg, 'src'), { recursive: true });
      writeFileSync(join(pkg, 'src/index.ts'), `export const name = '${name}';\n`);
      writeFileSync(join(pkg, 'src/index.test.ts'), 'test file: not a build input\n');
      // `clean` like tsup: the build starts by removing dist/ (and the stamp in it).
      const script = `rm -rf dist && mkdir dist && cp src/index.ts dist/index.js && echo ${name} >> ../../builds.log`;
      writeFileSync(
        join(pkg, 'package.json'),
        JSON.stringify({ name, private: true, scripts: { build: script } }),
      );
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds both the first time, then nothing on an unchanged tree', async () => {
    await build();
    expect(builds().sort()).toEqual(['a', 'b']);
    const { stdout } = await build();
    expect(stdout).toContain('nothing changed');
    expect(builds()).toHaveLength(2);
  });

  it('rebuilds a package whose source changed, and only it', async () => {
    appendFileSync(join(dir, 'pkgs/b/src/index.ts'), 'export const more = 1;\n');
    const { stdout } = await build();
    expect(stdout).toContain('build: pkgs/b (1 up to date)');
    expect(builds().slice(2)).toEqual(['b']);
    expect(readFileSync(join(dir, 'pkgs/b/dist/index.js'), 'utf8')).toContain('more');
  });

  it('rebuilds after a change in the lockfile, not after a touch or an edit of a test', async () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'pkgs/a/src/index.ts'), later, later);
    appendFileSync(join(dir, 'pkgs/a/src/index.test.ts'), 'edited\n');
    await build();
    expect(builds()).toHaveLength(3);
    writeFileSync(join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
    await build();
    expect(builds().slice(3).sort()).toEqual(['a', 'b']);
  });

  it('rebuilds a package whose dist/ lost a file, and keeps nothing of the record in dist/', async () => {
    rmSync(join(dir, 'pkgs/a/dist/index.js'));
    const count = builds().length;
    await build();
    expect(builds().slice(count)).toEqual(['a']);
    expect(readdirSync(join(dir, 'pkgs/a/dist'))).toEqual(['index.js']);
  });

  it('runs one build at a time: a second build started meanwhile waits, then finds it fresh', async () => {
    appendFileSync(join(dir, 'pkgs/a/src/index.ts'), 'export const again = 1;\n');
    const count = builds().length;
    await Promise.all([build(), build()]);
    expect(builds().slice(count)).toEqual(['a']);
  });

  it('stamps nothing when a build fails, so the next run builds it again', async () => {
    const manifest = join(dir, 'pkgs/a/package.json');
    const working = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, JSON.stringify({ name: 'a', private: true, scripts: { build: 'exit 3' } }));
    await expect(build()).rejects.toMatchObject({ code: 1 });
    writeFileSync(manifest, working);
    await build();
    expect(builds().at(-1)).toBe('a');
    await build('--force');
    expect(builds().slice(-2).sort()).toEqual(['a', 'b']);
  });
});
