/**
 * `pnpm check:imports` (dependency-cruiser with the repository's own .dependency-cruiser.cjs)
 * fails on what ARCHITECTURE.md forbids. Each case plants files in a throwaway tree laid out
 * like this one (packages/…, with a workspace link in node_modules as pnpm makes it) and runs
 * the real CLI on it: a clean tree passes, and each planted import fails with its rule.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const trees: string[] = [];
afterEach(() => {
  for (const tree of trees.splice(0)) rmSync(tree, { recursive: true, force: true });
});

type Files = Record<string, string>;

/** A small tree: core with two folders, two adapters, each with a public entry (dist). */
const CLEAN: Files = {
  'packages/core/package.json': JSON.stringify({
    name: '@pasis/core',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  }),
  'packages/core/dist/index.js': 'export const core = 1;\n',
  'packages/core/dist/index.d.ts': 'export declare const core: number;\n',
  'packages/core/src/errors.ts': 'export class PasisError extends Error {}\n',
  'packages/core/src/webhooks/receiver.ts':
    "import { PasisError } from '../errors.js';\nimport { log } from '../logging/logger.js';\nexport const receive = () => log(new PasisError());\n",
  'packages/core/src/logging/logger.ts': 'export const log = (value: unknown) => value;\n',
  'packages/fastify/package.json': JSON.stringify({
    name: '@pasis/fastify',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
  }),
  'packages/fastify/dist/index.js': 'export const plugin = 1;\n',
  'packages/fastify/dist/index.d.ts': 'export declare const plugin: number;\n',
  'packages/fastify/src/index.ts': "import { core } from '@pasis/core';\nexport const plugin = core;\n",
  'packages/express/src/index.ts': "import { core } from '@pasis/core';\nexport const middleware = core;\n",
};

/** The `packages/<name>/src` folders of the tree. */
const sources = (planted: Files) => [
  ...new Set(
    Object.keys({ ...CLEAN, ...planted })
      .map((path) => path.match(/^packages\/[^/]+\/src\//)?.[0])
      .filter((dir): dir is string => dir !== undefined),
  ),
];

async function cruise(planted: Files): Promise<{ rule: string; from: string; to: string }[]> {
  const tree = mkdtempSync(join(tmpdir(), 'pasis-imports-'));
  trees.push(tree);
  for (const [path, text] of Object.entries({ ...CLEAN, ...planted })) {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    writeFileSync(join(tree, path), text);
  }
  // The workspace links, as pnpm makes them.
  mkdirSync(join(tree, 'node_modules/@pasis'), { recursive: true });
  for (const name of ['core', 'fastify']) {
    symlinkSync(join(tree, 'packages', name), join(tree, 'node_modules/@pasis', name), 'dir');
  }
  const cli = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const config = join(root, '.dependency-cruiser.cjs');
  const { stdout } = await run(
    process.execPath,
    // The roots `pnpm check:imports` cruises: each package's sources (its dist/ is what an
    // import of its name reaches).
    [cli, '--config', config, '--output-type', 'json', '--no-progress', ...sources(planted)],
    { cwd: tree, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const result = JSON.parse(stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('pnpm check:imports (dependency-cruiser)', () => {
  it('passes a tree that follows the rules', async () => {
    expect(await cruise({})).toEqual([]);
  });

  it('fails a cycle, even of types only', async () => {
    const violations = await cruise({
      'packages/core/src/webhooks/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'packages/core/src/webhooks/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
    });
    expect(violations.map((v) => v.rule)).toContain('no-cycle');
    expect(violations.find((v) => v.rule === 'no-cycle')?.from).toMatch(
      /^packages\/core\/src\/webhooks\/[ab]\.ts$/,
    );
  });

  it('fails an adapter importing another adapter, by its name or into its sources', async () => {
    const violations = await cruise({
      'packages/express/src/shared.ts':
        "import { plugin } from '@pasis/fastify';\nexport const reuse = plugin;\n",
      'packages/express/src/copy.ts':
        "import { plugin } from '../../fastify/src/index.js';\nexport const copy = plugin;\n",
    });
    expect(violations).toContainEqual({
      rule: 'adapter-to-adapter',
      from: 'packages/express/src/shared.ts',
      to: 'packages/fastify/dist/index.d.ts',
    });
    expect(violations).toContainEqual({
      rule: 'adapter-to-adapter',
      from: 'packages/express/src/copy.ts',
      to: 'packages/fastify/src/index.ts',
    });
    expect(violations.map((v) => v.rule)).toContain('into-internals');
  });

  it('fails core importing an adapter, and a core folder edge outside the list', async () => {
    const violations = await cruise({
      'packages/core/src/webhooks/framework.ts':
        "import { plugin } from '../../../fastify/src/index.js';\nexport const p = plugin;\n",
      'packages/core/src/logging/back-edge.ts':
        "import { receive } from '../webhooks/receiver.js';\nexport const r = receive;\n",
    });
    expect(violations.map((v) => v.rule)).toEqual(
      expect.arrayContaining(['core-to-outside', 'core-folder-logging']),
    );
  });
});
