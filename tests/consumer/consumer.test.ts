/**
 * The packages as a user installs them: every published package is packed with
 * `pnpm pack` and installed with plain `npm` into fresh projects outside the workspace
 * (the frameworks from the registry, `@pasis/*` only from the tarballs). Each fixture app
 * type-checks (strict), runs as a real server and gets one signed delivery from the
 * packed `pasis trigger`. Nothing here imports the workspace's sources.
 *
 * The temp dir is removed afterwards, or kept (and its path printed) when a test failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APPS } from './support/apps.js';
import { type PackedPackage, packAll, tarballsFor } from './support/pack.js';
import { type AppProcess, describeRun, type RunResult, run, startApp, userEnv } from './support/processes.js';
import { assertIsolated, installProject, registryReachable } from './support/project.js';

const ready = registryReachable('consumer test (the packed packages installed with npm)');

/** A `whsec_` secret in the documented format, made without the code under test. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Runs CPU-bound steps (tsc) one after another: on this 2-core machine, shared with other
 * test files, running them side by side saves nothing and slows everyone down. The npm
 * installs, which mostly wait on the network, still run side by side.
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(step: () => Promise<T>): Promise<T> {
  const next = queue.then(step);
  queue = next.catch(() => {});
  return next;
}

/** Keeps a promise that is awaited later from being reported as unhandled meanwhile. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

describe.runIf(ready)('the published packages, packed and installed with npm', () => {
  let root: string;
  let packed: Map<string, PackedPackage>;
  let tools: Promise<string>;
  const builds = new Map<string, Promise<{ dir: string; build: RunResult }>>();
  const running = new Set<AppProcess>();
  let keep = false;

  beforeAll(async () => {
    try {
      root = mkdtempSync(join(tmpdir(), 'pasis-consumer-'));
      assertIsolated(root);
      mkdirSync(join(root, 'tarballs'));
      packed = await packAll(join(root, 'tarballs'));
      // Every install starts now and runs concurrently (they mostly wait on the network);
      // each test awaits the one it needs, so a failure is reported against its project.
      tools = later(installProject('tools', root, tarballsFor([...packed.keys()], packed)));
      for (const app of APPS) {
        const prepared = installProject(app.name, root, tarballsFor(app.packages, packed)).then((dir) =>
          oneAtATime(async () => ({
            dir,
            build: await run('npm', ['run', app.build], { cwd: dir, timeoutMs: 240_000 }),
          })),
        );
        builds.set(app.name, later(prepared));
      }
    } catch (error) {
      keep = true;
      throw error;
    }
  }, 180_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      keep = true;
    });
  });

  afterAll(async () => {
    await Promise.all([...running].map((app) => app.stop()));
    // Let running installs finish (each is bounded) before deleting what they write to.
    await Promise.allSettled([tools, ...builds.values()]);
    if (!root) return;
    if (keep) console.warn(`\n⚠️  consumer test: kept ${root} for inspection.\n`);
    else rmSync(root, { recursive: true, force: true });
  }, 300_000);

  it('packs every published package with a LICENSE, a README and no tests or sources', () => {
    expect(packed.size).toBeGreaterThan(0);
    for (const { name, manifest, files } of packed.values()) {
      expect(files, name).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      const unwanted = files.filter((file) =>
        /(^|\/)(src|tests?|test-support|__tests__)\/|\.test(-d)?\.[cm]?[jt]sx?$|\.tsbuildinfo$/.test(file),
      );
      expect(unwanted, `${name} ships test or source files`).toEqual([]);
      const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
      for (const bin of bins) expect(files, `${name}'s bin`).toContain(bin.replace(/^\.\//, ''));
    }
  });

  it('installs every tarball together, each entry loading with require and with import', async () => {
    const dir = await tools;
    const loaded = await run(process.execPath, ['load-entries.mjs'], { cwd: dir, timeoutMs: 60_000 });
    expect(loaded.code, describeRun('load-entries.mjs', loaded)).toBe(0);
    for (const name of packed.keys()) expect(loaded.output).toContain(`ok ${name}:`);
  }, 300_000);

  for (const app of APPS) {
    describe(app.title, () => {
      it('installs from the tarballs alone and type-checks with tsc (strict)', async () => {
        const { build } = await builds.get(app.name)!;
        expect(build.code, describeRun(`npm run ${app.build}`, build)).toBe(0);
      }, 300_000);

      it('handles one delivery from the packed `pasis trigger` once, and refuses another secret', async () => {
        const { dir, build } = await builds.get(app.name)!;
        expect(build.code, `npm run ${app.build} failed; see the test above`).toBe(0);
        const cli = join(await tools, 'node_modules', '.bin', 'pasis');
        const given = newSecret();
        // Only the secret, from the environment: each app uses its adapter's entry point as it is.
        const server = startApp(app.start, {
          cwd: dir,
          env: userEnv({ PORT: '0', PASIS_WEBHOOK_SECRET: given }),
        });
        running.add(server);
        try {
          const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
          const secret = given;
          const sessionId = `sess_${app.name}_${Date.now()}`;
          const trigger = (withSecret: string, id: string, session = sessionId) => {
            const args = ['trigger', 'session:processed', '--to', `${url}/webhook`, '--secret', withSecret];
            return run(cli, [...args, '--session-id', session, '--id', id], { cwd: dir, timeoutMs: 30_000 });
          };
          const handled = async () => {
            const res = await fetch(`${url}/handled`, { signal: AbortSignal.timeout(10_000) });
            return ((await res.json()) as { sessions: string[] }).sessions;
          };

          const first = await trigger(secret, 'msg_consumer_1');
          expect(first.code, describeRun('pasis trigger', first)).toBe(0);
          expect(first.output).toMatch(/^200 /);
          expect(await handled()).toEqual([sessionId]);

          // The same delivery again (Pasis retries): answered 2xx, the handler not run twice.
          const again = await trigger(secret, 'msg_consumer_1');
          expect(again.code, describeRun('pasis trigger (redelivery)', again)).toBe(0);
          expect(await handled()).toEqual([sessionId]);

          const forged = await trigger(newSecret(), 'msg_consumer_2', `${sessionId}_forged`);
          expect(forged.code, describeRun('pasis trigger (another secret)', forged)).toBe(1);
          expect(forged.output).toMatch(/^401 /);
          expect(await handled()).toEqual([sessionId]);

          await app.check?.({
            url: url!,
            dir,
            server,
            secret,
            trigger: (session, id) => trigger(secret, id, session),
          });
        } finally {
          await server.stop();
          running.delete(server);
        }
      }, 360_000);
    });
  }
});
