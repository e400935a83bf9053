import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, run } from './processes.js';

const PACKAGES_DIR = fileURLToPath(new URL('../../../packages/', import.meta.url));

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: string | Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface PackedPackage {
  name: string;
  /** The workspace's package.json (before pnpm rewrites `workspace:` ranges). */
  manifest: Manifest;
  /** Absolute path of the `.tgz`. */
  tarball: string;
  /** Paths inside the tarball, relative to `package/`. */
  files: string[];
}

/** Every `packages/*` that is published (not private): discovered, never listed by hand. */
export function publishedPackages(): { dir: string; manifest: Manifest }[] {
  return readdirSync(PACKAGES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(PACKAGES_DIR, entry.name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
    }))
    .filter(({ manifest }) => !manifest.private)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

/**
 * `pnpm pack` of every published package (or of those named in `only`) into `destination`,
 * as `pnpm publish` would pack it (`workspace:` ranges rewritten to real versions). `pnpm
 * test` has built `dist/`.
 */
export async function packAll(
  destination: string,
  only?: readonly string[],
): Promise<Map<string, PackedPackage>> {
  const wanted = publishedPackages().filter(({ manifest }) => !only || only.includes(manifest.name));
  const packed = await Promise.all(
    wanted.map(async ({ dir, manifest }) => {
      const result = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
        cwd: dir,
        env: process.env,
        timeoutMs: 120_000,
      });
      if (result.code !== 0) throw new Error(describeRun(`pnpm pack of ${manifest.name}`, result));
      // pnpm may print lifecycle output before the JSON; the JSON is the last `{ … }` block.
      const json = JSON.parse(result.output.slice(result.output.indexOf('{\n'))) as {
        filename: string;
        files: { path: string }[];
      };
      return {
        name: manifest.name,
        manifest,
        tarball: json.filename,
        files: json.files.map((file) => file.path),
      } satisfies PackedPackage;
    }),
  );
  return new Map(packed.map((entry) => [entry.name, entry]));
}

/**
 * The tarballs to install for `names`: those packages and every `@pasis/*` package they
 * depend on or require as a (non-optional) peer, so npm resolves them all to local
 * tarballs and never asks the registry for one.
 */
export function tarballsFor(names: readonly string[], packed: Map<string, PackedPackage>): string[] {
  const wanted = new Set<string>();
  const visit = (name: string) => {
    if (wanted.has(name)) return;
    const entry = packed.get(name);
    if (!entry) throw new Error(`${name} is not a published package of this workspace`);
    wanted.add(name);
    const { dependencies = {}, peerDependencies = {}, peerDependenciesMeta = {} } = entry.manifest;
    const peers = Object.keys(peerDependencies).filter((peer) => !peerDependenciesMeta[peer]?.optional);
    for (const dep of [...Object.keys(dependencies), ...peers]) {
      if (packed.has(dep)) visit(dep);
    }
  };
  for (const name of names) visit(name);
  return [...wanted].sort().map((name) => packed.get(name)!.tarball);
}
