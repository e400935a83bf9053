#!/usr/bin/env node
// `pnpm build [--force] [dir …]`: builds the workspace packages whose inputs changed since
// their last successful build (scripts/lib/build-inputs.mjs), in dependency order, through
// each package's own `build` script. An unchanged tree builds nothing, so `pnpm demo` and
// `pnpm test` start at once; `--force` builds every one. A fresh clone has no stamps: a full build.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { inputsHash } from './lib/build-inputs.mjs';
import { acquireBuildLock } from './lib/build-lock.mjs';
import { isFresh, removeStamp, writeStamp } from './lib/build-stamps.mjs';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * What `pnpm build` builds: every `packages/*` with a `build` script, and the examples' shared
 * kit (the demo and the e2e tests import its `dist/`). The shops themselves run from source,
 * except the Nest one, which `pnpm demo nestjs` adds.
 *
 * @example
 * defaultTargets('/repo'); // ['packages/core', …, 'examples/shop-kit']
 */
export function defaultTargets(root = repoRoot) {
  const packages = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `packages/${entry.name}`)
    .filter((dir) => hasBuildScript(root, dir));
  return [...packages.sort(), 'examples/shop-kit'];
}

function hasBuildScript(root, dir) {
  try {
    return Boolean(JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).scripts?.build);
  } catch {
    return false;
  }
}

/**
 * Builds the targets (workspace dirs relative to `root`) whose inputs differ from their
 * stamp, with one `pnpm --filter … run build` (pnpm orders them by dependency and runs
 * independent ones side by side), then stamps each. Resolves with what was built and what
 * was fresh; rejects when the build fails (no stamp is written then).
 *
 * @example
 * const { built, fresh } = await buildStale({ targets: defaultTargets() });
 * // built: ['packages/sandbox'] after an edit in the sandbox; [] on an unchanged tree
 */
export async function buildStale({
  root = repoRoot,
  targets = defaultTargets(root),
  force = false,
  log = console.log,
} = {}) {
  // Hashes are taken under the lock: a build that ran meanwhile has made its packages fresh.
  const release = await acquireBuildLock(root, () =>
    log('build: waiting for another build of this checkout'),
  );
  try {
    return await buildUnderLock(root, targets, force, log);
  } finally {
    release();
  }
}

async function buildUnderLock(root, targets, force, log) {
  const hashes = new Map(targets.map((dir) => [dir, inputsHash(root, join(root, dir))]));
  const stale = targets.filter((dir) => force || !isFresh(root, dir, hashes.get(dir)));
  const fresh = targets.filter((dir) => !stale.includes(dir));
  if (stale.length === 0) {
    log(`build: nothing changed since the last build (${targets.length} up to date)`);
    return { built: [], fresh };
  }
  log(`build: ${stale.join(', ')}${fresh.length ? ` (${fresh.length} up to date)` : ''}`);
  for (const dir of stale) removeStamp(root, dir);
  const filters = stale.flatMap((dir) => ['--filter', `./${dir}`]);
  const code = await run('pnpm', [...filters, 'run', 'build'], root);
  if (code !== 0)
    throw new Error(`build failed (pnpm exited with ${code}): fix the error above and run it again`);
  for (const dir of stale) writeStamp(root, dir, hashes.get(dir));
  return { built: stale, fresh };
}

function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    // --root: another workspace (the builder's own tests build a fixture).
    options: { force: { type: 'boolean', default: false }, root: { type: 'string', default: repoRoot } },
  });
  const targets = positionals.length > 0 ? positionals.map((dir) => dir.replace(/\/$/, '')) : undefined;
  try {
    await buildStale({ root: values.root, targets, force: values.force });
  } catch (error) {
    console.error(`pnpm build: ${error.message}`);
    process.exit(1);
  }
}
