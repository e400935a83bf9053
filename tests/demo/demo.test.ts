import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { SHOP_NAMES } from '../support/shops.js';
import { groupGone, killLeftoverDemos, startDemo, waitForOutput, waitForPage } from './demo-process.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Each test's demo keeps its orders and sandbox data here, away from the developer's own demo.
const data = mkdtempSync(join(tmpdir(), 'pasis-demo-test-'));
afterAll(() => rmSync(data, { recursive: true, force: true }));
afterEach(killLeftoverDemos);

/** Every built file's mtime: a build (tsup cleans dist/, tsc rewrites it) changes them. */
function builtFiles(): Record<string, number> {
  const dirs = [
    ...readdirSync(join(root, 'packages')).map((name) => `packages/${name}/dist`),
    'examples/shop-kit/dist',
    'examples/nestjs/dist',
  ];
  const files: Record<string, number> = {};
  for (const dir of dirs) {
    // The Nest shop's dist/ exists only once a Nest demo built it (a fresh clone has none).
    if (!existsSync(join(root, dir))) continue;
    for (const name of readdirSync(join(root, dir)))
      files[`${dir}/${name}`] = statSync(join(root, dir, name)).mtimeMs;
  }
  return files;
}

/** Starts `pnpm demo <framework>`, waits for the shop's first page, then Ctrl-C. */
async function startAndInterrupt(framework: string) {
  const [shopPort, sandboxPort] = [await freePort(), await freePort()];
  const env = {
    SHOP_DATA_DIR: join(data, framework, 'orders'),
    PASIS_DEMO_SANDBOX_DIR: join(data, framework, 'sandbox'),
  };
  const demo = startDemo(
    [framework, '--shop-port', String(shopPort), '--sandbox-port', String(sandboxPort)],
    env,
  );
  await waitForPage(demo, `http://127.0.0.1:${shopPort}/`);
  // The demo prints its banner once its own request got the page: Ctrl-C after that.
  await waitForOutput(demo, `Pasis demo (${framework}) is running`);
  demo.signalGroup('SIGINT');
  const exit = await demo.exited;
  return { output: demo.output(), exit, gone: await groupGone(demo) };
}

describe.each(SHOP_NAMES)('pnpm demo %s', (framework) => {
  // A first start after an edit builds (minutes on a loaded 2-core machine): a bound, not a speed claim.
  it('builds nothing on a second start of an unchanged tree; Ctrl-C exits 0 and leaves no process', {
    timeout: 600_000,
  }, async () => {
    // The first start builds whatever is stale (nothing right after `pnpm test`'s own build).
    const first = await startAndInterrupt(framework);
    expect(first.exit, first.output).toEqual({ code: 0, signal: null });
    const before = builtFiles();

    const second = await startAndInterrupt(framework);
    expect(second.output).toContain('build: nothing changed since the last build');
    expect(second.output).not.toMatch(/> (tsup|tsc)/);
    expect(builtFiles()).toEqual(before);
    // Ctrl-C: pnpm, the demo and the shop all stop, pnpm with status 0 and no failure line.
    expect(second.exit, second.output).toEqual({ code: 0, signal: null });
    expect(second.output).not.toContain('ELIFECYCLE');
    expect(second.gone, 'a process of the demo outlived Ctrl-C').toBe(true);
  });
});

describe('pnpm demo on a port that is taken', () => {
  async function holdPort(): Promise<{ server: Server; port: number }> {
    const port = await freePort();
    const server = createServer().listen(port, '127.0.0.1');
    await once(server, 'listening');
    return { server, port };
  }
  const demo = (...args: string[]) =>
    promisify(execFile)(process.execPath, [join(root, 'scripts/demo.mjs'), ...args], { cwd: root }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it.each([
    ['--shop-port', '--sandbox-port', 'the shop'],
    ['--sandbox-port', '--shop-port', 'the sandbox'],
  ])('%s taken: one line naming the flag, a non-zero exit, nothing started', async (flag, other, what) => {
    const { server, port } = await holdPort();
    try {
      const { code, stdout, stderr } = await demo(flag, String(port), other, String(await freePort()));
      expect(code).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toBe(
        `pnpm demo: port ${port} on 127.0.0.1 (${what}) is already in use: pick another with ${flag} <port>\n`,
      );
    } finally {
      server.close();
    }
  });
});
