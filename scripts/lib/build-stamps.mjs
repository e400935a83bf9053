// The record of each package's last successful build: the hash of its inputs
// (build-inputs.mjs) and the files it wrote to `dist/`. Kept in the root's
// node_modules/.cache, never in `dist/`, which is published as it is.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const stampFile = (root, dir) =>
  join(root, 'node_modules', '.cache', 'pasis-build', `${dir.replace(/[^\w.-]+/g, '_')}.json`);

function distFiles(dist, prefix = '') {
  return readdirSync(join(dist, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? distFiles(dist, `${prefix}${entry.name}/`)
      : entry.isFile()
        ? [`${prefix}${entry.name}`]
        : [],
  );
}

/**
 * Whether `dir` (relative to `root`) was last built from `hash` and its `dist/` still holds
 * every file that build wrote (a deleted or half-cleaned `dist/` is not fresh).
 *
 * @example
 * isFresh('/repo', 'packages/core', inputsHash('/repo', '/repo/packages/core')); // true after a build
 */
export function isFresh(root, dir, hash) {
  try {
    const stamp = JSON.parse(readFileSync(stampFile(root, dir), 'utf8'));
    return (
      stamp.hash === hash &&
      stamp.outputs.length > 0 &&
      stamp.outputs.every((file) => existsSync(join(root, dir, 'dist', file)))
    );
  } catch {
    return false;
  }
}

/**
 * Records that `dir`'s `dist/` is the output of `hash`: only after a successful build.
 *
 * @example
 * writeStamp('/repo', 'packages/core', hash);
 */
export function writeStamp(root, dir, hash) {
  const file = stampFile(root, dir);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ hash, outputs: distFiles(join(root, dir, 'dist')) })}\n`);
}

/**
 * Forgets the record before a build: tsc does not clean `dist/`, and an interrupted or failed
 * build must not look fresh.
 *
 * @example
 * removeStamp('/repo', 'packages/core');
 */
export function removeStamp(root, dir) {
  rmSync(stampFile(root, dir), { force: true });
}
