// What a package's build output depends on, as one hash (build-stamps.mjs records the hash
// its `dist/` was last built from). Content, not mtimes: a `git checkout` or a copy touches
// every mtime without changing what a build would produce.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// Never read by a build: its outputs, dependencies, local data, and what only tests or readers
// use (vitest's file names are never imported by a build entry).
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'test-results']);
const SKIPPED_FILE = /(\.test\.tsx?|\.test-d\.ts|\.md|\.tsbuildinfo|^LICENSE)$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Dot-dirs are local state (.data, .pasis-sandbox, .turbo), never sources.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* files(path);
    } else if (entry.isFile() && !SKIPPED_FILE.test(entry.name)) {
      yield path;
    }
  }
}

/**
 * The hash of everything a build of `dir` reads: its own files (sources, package.json,
 * tsconfig, tsup config, sql) plus the root's `tsconfig.base.json` and the lockfile (the
 * compiler's and bundler's versions). Workspace dependencies are not inputs: every
 * `@pasis/*` import is external in the bundles (a dependency or peer, so tsup leaves it
 * out) and tsc emits only the package's own files.
 *
 * @example
 * inputsHash('/repo', '/repo/packages/core'); // 'c0ffee…' (sha256, hex)
 */
export function inputsHash(root, dir) {
  const hash = createHash('sha256');
  const paths = [...files(dir)].sort();
  for (const path of [join(root, 'tsconfig.base.json'), join(root, 'pnpm-lock.yaml'), ...paths]) {
    if (!existsSync(path)) continue;
    // The relative path too: a renamed file changes the output even with the same bytes.
    hash.update(relative(root, path).split(sep).join('/'));
    hash.update('\0');
    hash.update(readFileSync(path));
    hash.update('\0');
  }
  return hash.digest('hex');
}
