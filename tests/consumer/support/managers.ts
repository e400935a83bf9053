import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, run, userEnv } from './processes.js';

const WORKSPACE_MANIFEST = fileURLToPath(new URL('../../../package.json', import.meta.url));

/** A package manager as a user runs it: a Node script, run with this Node. */
export interface PackageManager {
  name: 'pnpm' | 'npm' | 'yarn';
  /** The fresh project's package.json, given the `@pasis/core` tarball. */
  manifest(coreTarball: string): Record<string, unknown>;
  /** Arguments (to `node`) that add the tarballs as devDependencies. */
  add(tarballs: string[]): string[];
  /** Arguments (to `node`) that run the project's `pasis` the manager's way. */
  exec(args: string[]): string[];
}

/** Where `command` is on the user's PATH (symlinks resolved), or undefined. */
function which(command: string): string | undefined {
  for (const dir of (userEnv().PATH ?? '').split(delimiter)) {
    const path = join(dir, command);
    if (dir && existsSync(path)) return realpathSync(path);
  }
  return undefined;
}

/**
 * pnpm 10 (through corepack, pinned to the workspace's version), npm, and yarn 1 (installed
 * from the registry into `root/yarn`). `@pasis/core` is not published yet, so pnpm and yarn
 * are told to take it from its tarball (`pnpm.overrides`, `resolutions`), as the registry
 * would serve it; npm does so by itself when both tarballs are added together.
 */
export async function packageManagers(root: string): Promise<PackageManager[]> {
  const { packageManager } = JSON.parse(readFileSync(WORKSPACE_MANIFEST, 'utf8')) as {
    packageManager: string;
  };
  const pnpm = which('pnpm');
  const npm = which('npm');
  if (!pnpm || !npm) throw new Error(`pnpm (${pnpm}) and npm (${npm}) must be on the PATH`);
  const yarnDir = join(root, 'yarn');
  mkdirSync(yarnDir);
  const installed = await run(
    process.execPath,
    [npm, 'install', '--prefix', yarnDir, '--no-audit', '--no-fund', 'yarn@1'],
    { cwd: yarnDir, timeoutMs: 120_000 },
  );
  if (installed.code !== 0) throw new Error(describeRun('npm install yarn@1', installed));
  const yarn = join(yarnDir, 'node_modules', 'yarn', 'bin', 'yarn.js');
  const file = (tarball: string) => `file:${tarball}`;
  return [
    {
      name: 'pnpm',
      manifest: (core) => ({ packageManager, pnpm: { overrides: { '@pasis/core': file(core) } } }),
      add: (tarballs) => [pnpm, 'add', '-D', ...tarballs],
      exec: (args) => [pnpm, 'exec', 'pasis', ...args],
    },
    {
      name: 'npm',
      manifest: () => ({}),
      add: (tarballs) => [npm, 'install', '-D', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs],
      exec: (args) => [npm, 'exec', '--', 'pasis', ...args],
    },
    {
      name: 'yarn',
      manifest: (core) => ({ resolutions: { '@pasis/core': file(core) } }),
      add: (tarballs) => [yarn, 'add', '-D', '--non-interactive', ...tarballs],
      exec: (args) => [yarn, 'run', '--silent', 'pasis', ...args],
    },
  ];
}

/** What no native build can do without: none of these may be on the bare PATH. */
export const BUILD_TOOLS = ['cc', 'gcc', 'c++', 'g++', 'clang', 'make', 'python', 'python3'];

/**
 * A directory holding only `node`, a shell, and the three tools that pnpm's bin shims call
 * (`sed`, `dirname`, `uname`): the PATH of a machine with Node and nothing to compile with.
 * (Node's own directory cannot serve here: on Debian it is /usr/bin, where cc and make live.)
 */
export function barePath(root: string, project: string): string {
  const bin = join(root, 'bare-bin');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    for (const tool of ['sh', 'sed', 'dirname', 'uname']) {
      const path = which(tool);
      if (!path) throw new Error(`${tool} is not on the PATH`);
      symlinkSync(path, join(bin, tool));
    }
  }
  return [bin, join(project, 'node_modules', '.bin')].join(delimiter);
}

/** A fresh project `root/<name>` with the manager's package.json. */
export function freshProject(root: string, manager: PackageManager, coreTarball: string, label = ''): string {
  const dir = join(root, `project-${manager.name}${label}`);
  mkdirSync(dir);
  const manifest = { name: `pasis-sandbox-${manager.name}`, private: true, ...manager.manifest(coreTarball) };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
