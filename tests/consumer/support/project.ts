import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, run, userEnv } from './processes.js';

const WORKSPACE = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/**
 * Checks that `root` can hold fresh projects: outside the workspace, and with no
 * `node_modules` above it through which Node (or tsc) could find a package the project
 * did not install itself.
 */
export function assertIsolated(root: string): void {
  const dir = resolve(root);
  if (dir === WORKSPACE || dir.startsWith(WORKSPACE + sep)) {
    throw new Error(`${dir} is inside the workspace (${WORKSPACE}); set TMPDIR elsewhere.`);
  }
  for (let up = dirname(dir); ; up = dirname(up)) {
    if (existsSync(join(up, 'node_modules'))) {
      throw new Error(`${join(up, 'node_modules')} would be visible to the fresh projects under ${dir}.`);
    }
    if (dirname(up) === up) return;
  }
}

/**
 * A fresh project: the fixture `name` copied to `root/name`, then one plain
 * `npm install <tarballs...>`, which installs the fixture's own dependencies (the
 * frameworks, from the registry) and the tarballs together, so npm resolves every
 * `@pasis/*` range to a local tarball.
 */
export async function installProject(name: string, root: string, tarballs: string[]): Promise<string> {
  const dir = join(root, name);
  cpSync(join(FIXTURES, name), dir, {
    recursive: true,
    filter: (source) => !['node_modules', 'dist', 'package-lock.json'].includes(basename(source)),
  });
  const result = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], {
    cwd: dir,
    timeoutMs: 300_000,
  });
  if (result.code !== 0) throw new Error(describeRun(`npm install in ${dir}`, result));
  assertFromTarballs(dir, tarballs);
  return dir;
}

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
}

/**
 * Every `@pasis/*` package in the installed tree is one of the given tarballs (none from
 * the registry, none linked to the workspace), each installed once: two copies of
 * `@pasis/core` would mean a range that the tarballs do not satisfy.
 */
export function assertFromTarballs(dir: string, tarballs: string[]): void {
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const expected = new Set(tarballs.map((tarball) => `file:${relative(dir, tarball).split(sep).join('/')}`));
  const seen = new Map<string, string[]>();
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const match = path.match(/(?:^|\/)node_modules\/(@pasis\/[^/]+)$/);
    if (!match) continue;
    const name = match[1]!;
    seen.set(name, [...(seen.get(name) ?? []), path]);
    if (entry.link || !entry.resolved || !expected.has(entry.resolved)) {
      problems.push(`${path} resolved to ${entry.link ? 'a link' : (entry.resolved ?? 'nothing')}`);
    }
  }
  for (const [name, paths] of seen) {
    if (paths.length > 1) problems.push(`${name} is installed ${paths.length} times: ${paths.join(', ')}`);
  }
  if (seen.size !== expected.size) {
    problems.push(
      `expected ${expected.size} @pasis packages, found ${[...seen.keys()].join(', ') || 'none'}`,
    );
  }
  if (problems.length > 0)
    throw new Error(`${dir}: not installed from the tarballs:\n${problems.join('\n')}`);
}

/**
 * Whether npm and its registry answer here. Without them the consumer test is skipped
 * with a loud message, except under `CI=true`, where it is a failure.
 */
export function registryReachable(suite: string): boolean {
  const ping = spawnSync('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=20000'], {
    env: userEnv(),
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (ping.status === 0) return true;
  const said = `${ping.stderr ?? ''}`.trim().split('\n').slice(0, 2).join(' ');
  const why = ping.error?.message ?? `\`npm ping\` exited with ${ping.status}: ${said}`;
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: npm or its registry is unreachable (${why}); CI needs both.`);
  }
  console.warn(`\n⚠️  SKIPPED ${suite}: npm or its registry is unreachable (${why}).\n`);
  return false;
}
