/**
 * A new user's first minute with the sandbox: the packed `@pasis/sandbox` and `@pasis/core`
 * tarballs added as devDependencies to a fresh project outside the workspace, with pnpm 10
 * (its defaults: dependencies' build scripts are not run), npm, and yarn 1; then the
 * manager's own exec starts `pasis sandbox --in-memory --port 0`, which serves its dashboard
 * and stops cleanly on Ctrl-C. Both steps run on a PATH with no C compiler, make or python,
 * so nothing could have been compiled, and no native module may be installed.
 *
 * The temp dir is removed afterwards, or kept (and its path printed) when a test failed.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectMcp, eventually, startShop } from '../../packages/sandbox/src/test-support/mcp.js';
import {
  BUILD_TOOLS,
  barePath,
  freshProject,
  type PackageManager,
  packageManagers,
} from './support/managers.js';
import { type PackedPackage, packAll } from './support/pack.js';
import { describeRun, run, startApp, userEnv } from './support/processes.js';
import { assertIsolated, registryReachable } from './support/project.js';

const ready = registryReachable('consumer test of `pasis sandbox` (npm, pnpm and yarn installs)');

/** Every file under `dir` whose name ends in `.node`: a native addon. */
function nativeAddons(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.node')) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

describe.runIf(ready)('pasis sandbox from the packed tarballs, with any package manager', () => {
  let root: string;
  let packed: Map<string, PackedPackage>;
  let managers: PackageManager[];
  let keep = false;

  beforeAll(async () => {
    try {
      root = mkdtempSync(join(tmpdir(), 'pasis-sandbox-consumer-'));
      assertIsolated(root);
      mkdirSync(join(root, 'tarballs'));
      packed = await packAll(join(root, 'tarballs'), ['@pasis/core', '@pasis/sandbox']);
      managers = await packageManagers(root);
    } catch (error) {
      keep = true;
      throw error;
    }
  }, 240_000);

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      keep = true;
    });
  });

  afterAll(() => {
    if (!root) return;
    if (keep) console.warn(`\n⚠️  sandbox consumer test: kept ${root} for inspection.\n`);
    else rmSync(root, { recursive: true, force: true });
  });

  it('ships bin/pasis.js as the bin, and no dependency that needs a build', () => {
    const sandbox = packed.get('@pasis/sandbox')!;
    expect(sandbox.manifest.bin).toEqual({ pasis: './bin/pasis.js' });
    expect(sandbox.files).toContain('bin/pasis.js');
    // Pure JavaScript, all of them: the installs below fail if any dependency needs a build.
    expect(Object.keys(sandbox.manifest.dependencies ?? {}).sort()).toEqual([
      '@modelcontextprotocol/sdk',
      '@pasis/core',
      'zod',
    ]);
  });

  it('pasis mcp from the packed CLI: read-only by default, then with --allow-write pays and redelivers', async () => {
    const manager = managers.find((m) => m.name === 'npm')!;
    const core = packed.get('@pasis/core')!.tarball;
    const dir = freshProject(root, manager, core, '-mcp');
    const env = userEnv();
    const added = await run(process.execPath, manager.add([packed.get('@pasis/sandbox')!.tarball, core]), {
      cwd: dir,
      env,
      timeoutMs: 180_000,
    });
    expect(added.code, describeRun('npm add', added)).toBe(0);
    const bin = join(dir, 'node_modules', '@pasis', 'sandbox', 'bin', 'pasis.js');
    const shop = await startShop(500);
    const args = [
      'sandbox',
      '--in-memory',
      '--port',
      '0',
      '--callback-url',
      shop.url,
      '--retry-schedule',
      'none',
    ];
    const sandbox = startApp([bin, ...args], { cwd: dir, env });
    try {
      const [, url] = await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      const readOnly = await connectMcp(['--sandbox', url!], bin);
      try {
        const { tools } = await readOnly.client.listTools();
        expect(tools.map((t) => t.name)).toEqual([
          'list_sessions',
          'get_session',
          'list_deliveries',
          'get_delivery',
        ]);
        const refused = await readOnly.call('create_session', {
          items: [{ name: 'A', Amount: 100 }],
          email: 'a@mail.com',
        });
        expect(refused.isError).toBe(true);
        expect(refused.text).toContain('--allow-write');
      } finally {
        await readOnly.close();
      }

      const mcp = await connectMcp(['--sandbox', url!, '--allow-write'], bin);
      try {
        const created = await mcp.call('create_session', {
          items: [{ name: 'Money Transfer', Amount: 5000 }],
          email: 'customer@mail.com',
        });
        const completed = await mcp.call('complete_session', {
          session_id: created.json.session_id as string,
          status: 'success',
          phone: '0780000001',
        });
        const deliveryId = completed.json.delivery_id as string;
        const failed = await eventually(
          () => mcp.call('get_delivery', { delivery_id: deliveryId }),
          (answer) => answer.json.state === 'failed',
        );
        expect(failed.json).toMatchObject({ attempts: [{ status_code: 500 }] });
        shop.status = 200;
        const redelivered = await mcp.call('redeliver', { delivery_id: deliveryId });
        expect(redelivered.json).toMatchObject({ answer: { status_code: 200 } });
        expect(mcp.errors).toEqual([]);
      } finally {
        await mcp.close();
      }
      // Against something that is not a sandbox (the shop), it refuses to start.
      const notASandbox = await run(
        process.execPath,
        [bin, 'mcp', '--sandbox', shop.url.replace('/webhook', '')],
        {
          cwd: dir,
          env,
          timeoutMs: 30_000,
        },
      );
      expect(notASandbox.code).toBe(2);
      expect(notASandbox.output).toMatch(/is not a running Pasis sandbox/);
    } finally {
      await sandbox.stop('SIGINT');
      await shop.close();
    }
  }, 300_000);

  for (const name of ['pnpm', 'npm', 'yarn'] as const) {
    it(`${name}: adds the tarballs with no compiler on the PATH, then \`pasis sandbox\` serves / and stops on Ctrl-C`, async () => {
      const manager = managers.find((m) => m.name === name)!;
      const core = packed.get('@pasis/core')!.tarball;
      const dir = freshProject(root, manager, core);
      const env = userEnv({ PATH: barePath(root, dir) });
      for (const tool of BUILD_TOOLS) {
        const reachable = env
          .PATH!.split(delimiter)
          .some((d) => statSync(join(d, tool), { throwIfNoEntry: false }));
        expect(reachable, `${tool} is on the bare PATH`).toBe(false);
      }

      const tarballs = [packed.get('@pasis/sandbox')!.tarball, core];
      const added = await run(process.execPath, manager.add(tarballs), { cwd: dir, env, timeoutMs: 180_000 });
      expect(added.code, describeRun(`${name} add`, added)).toBe(0);
      expect(added.output).not.toMatch(/Ignored build scripts/i); // pnpm's word for a skipped build
      expect(nativeAddons(join(dir, 'node_modules'))).toEqual([]);
      // A symlink (npm, yarn) or a shell shim (pnpm) to the committed bin, made at install time.
      const link = join(dir, 'node_modules', '.bin', 'pasis');
      const target = realpathSync(link).endsWith(join('@pasis', 'sandbox', 'bin', 'pasis.js'));
      expect(target || readFileSync(link, 'utf8').includes('@pasis/sandbox/bin/pasis.js')).toBe(true);
      const installed = JSON.parse(readFileSync(join(dir, 'node_modules/@pasis/core/package.json'), 'utf8'));
      expect(installed.version).toBe(packed.get('@pasis/core')!.manifest.version);

      const sandbox = startApp(manager.exec(['sandbox', '--in-memory', '--port', '0']), { cwd: dir, env });
      try {
        const [, url] = await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
        await sandbox.waitFor(/Ctrl-C stops/, 10_000);
        const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(10_000) });
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('Sandbox shop');
      } finally {
        // Ctrl-C reaches the whole process group: the package manager ends by the signal, the
        // CLI catches it, closes the sandbox and says so.
        await sandbox.stop('SIGINT');
        expect(sandbox.output()).toContain('Sandbox stopped.');
      }
    }, 300_000);
  }
});
