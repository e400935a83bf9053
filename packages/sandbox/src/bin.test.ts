/**
 * `bin/pasis.js` in a checkout that has no `dist/` yet (a fresh clone right after `pnpm
 * install`): it runs the TypeScript sources. Tested on a copy of the package layout without
 * `dist/`, outside the workspace, so the workspace's own build is untouched. The copy's
 * node_modules hold only what each package declares (zod, tsx) and no
 * `@pasis/core`: that import can only come from the sources, through tsconfig.sources.json.
 * (Every other CLI test runs the same bin with the workspace's `dist/`.)
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { pasis, runSandbox } from './test-support/cli.js';

const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'pasis-bin-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of packages/sandbox and packages/core (sources only) under `root/<name>`. */
function layout(name: string, withTsx: boolean): string {
  const base = join(root, name);
  const copy = (path: string) => cpSync(join(WORKSPACE, path), join(base, path), { recursive: true });
  for (const path of ['tsconfig.base.json', 'packages/core/src', 'packages/core/package.json']) copy(path);
  for (const path of ['bin', 'src', 'package.json', 'tsconfig.json', 'tsconfig.sources.json']) {
    copy(`packages/sandbox/${path}`);
  }
  const link = (pkg: string, dep: string) => {
    const target = join(base, 'packages', pkg, 'node_modules', dep);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(join(WORKSPACE, 'packages', pkg, 'node_modules', dep)), target);
  };
  link('sandbox', 'zod');
  if (withTsx) link('sandbox', 'tsx');
  link('core', 'zod');
  return join(base, 'packages/sandbox/bin/pasis.js');
}

const bin = layout('checkout', true);
const cwd = root;

describe('bin/pasis.js without dist/ (real processes)', () => {
  it('runs --help and an unknown command from the sources, with the CLI’s exit codes', async () => {
    const help = await pasis(['--help'], undefined, { bin, cwd });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: pasis <command>');
    expect((await pasis(['sandbox', '--help'], undefined, { bin, cwd })).stdout).toContain(
      'Usage: pasis sandbox',
    );
    expect((await pasis(['nope'], undefined, { bin, cwd })).status).toBe(2);
  });

  it('runs pasis sign: headers that verify over the exact body', async () => {
    const secret = generateWebhookSecret();
    const body = '{"kind":"session:processed","session_id":"sess_src","amount":5000,"status":"success"}';
    const run = await pasis(['sign', '--secret', secret, '--id', 'msg_src'], body, { bin, cwd });
    expect(run.status).toBe(0);
    const headers = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    expect(verifyWebhook({ body, headers, secret })).toMatchObject({ session_id: 'sess_src' });
  });

  it('serves a sandbox, and SIGTERM reaches the CLI: it stops cleanly with exit 0', async () => {
    const run = await runSandbox(['--in-memory'], { bin, cwd });
    expect(run.url, run.out).toBeDefined();
    expect((await fetch(`${run.url}/`)).status).toBe(200);
    const stopped = await run.stop('SIGTERM');
    expect(stopped).toMatchObject({ code: 0, signal: null });
    expect(stopped.out).toContain('Sandbox stopped.');
  });

  it('says what to do when neither dist/ nor tsx is there', async () => {
    const run = await pasis(['--help'], undefined, { bin: layout('no-tsx', false), cwd });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/dist\/cli\.js is missing, and tsx .* is not installed/);
    expect(run.stderr).toContain('pnpm build');
  });

  it('maps each @pasis/core entry to the very source file vitest.shared.ts names', async () => {
    // Loaded by path: the file is outside this package's TypeScript project.
    const { pasisAliases } = (await import(pathToFileURL(join(WORKSPACE, 'vitest.shared.ts')).href)) as {
      pasisAliases: { find: RegExp; replacement: string }[];
    };
    const sandboxDir = join(WORKSPACE, 'packages/sandbox');
    const config = JSON.parse(readFileSync(join(sandboxDir, 'tsconfig.sources.json'), 'utf8'));
    const paths = config.compilerOptions.paths as Record<string, string[]>;
    expect(Object.keys(paths).sort()).toEqual([
      '@pasis/core',
      '@pasis/core/adapter',
      '@pasis/core/node',
      '@pasis/core/testing',
    ]);
    for (const [name, [target]] of Object.entries(paths)) {
      const alias = pasisAliases.find((a) => a.find.test(name));
      expect([name, resolve(sandboxDir, target!)]).toEqual([name, alias?.replacement]);
    }
  });
});
