/**
 * `GET /_sandbox/health` and `pasis sandbox --print-env` (CONTRACT §4, "Health and wiring"):
 * what a CI step or a container health check waits on, and the app's credentials handed to
 * a `.env` file. A real sandbox in process, and the built CLI in real processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { assertBuilt, BIN, pasis } from './test-support/cli.js';
import { reservePort } from './test-support/receiver.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type HealthAnswer = { status: number; type: string | undefined; body: unknown };

/** The health answer on a fresh connection, or the network error's code when nothing answers. */
function health(base: string): Promise<HealthAnswer | string> {
  return new Promise((resolve) => {
    const req = get(`${base}/_sandbox/health`, { agent: false }, async (res) => {
      let text = '';
      for await (const chunk of res) text += chunk;
      resolve({ status: res.statusCode!, type: res.headers['content-type'], body: JSON.parse(text) });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

describe('GET /_sandbox/health', () => {
  it('answers 200 {"ok":true} as JSON while the sandbox listens, and nothing before or after', async () => {
    const port = await reservePort();
    const base = `http://127.0.0.1:${port}`;
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    const sandbox = createSandbox({ logger: { info: log, warn: log, error: log } });
    cleanups.push(() => sandbox.close());
    expect(await health(base)).toBe('ECONNREFUSED');
    await sandbox.listen(port);
    expect(await health(base)).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: { ok: true },
    });
    // A wait loop polling it does not flood the request log; other requests are still logged.
    await fetch(`${base}/`);
    expect(lines.filter((line) => line.startsWith('GET'))).toEqual([expect.stringMatching(/^GET \/ → 200/)]);
    await sandbox.close();
    expect(await health(base)).toBe('ECONNREFUSED');
  });
});

describe('pasis sandbox --print-env (built binary)', () => {
  beforeAll(assertBuilt);

  function start(args: string[], stdout: 'pipe' | number): { child: ChildProcess; stderr: () => string } {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--in-memory', '--print-env', ...args], {
      env: { ...process.env, PASIS_APP_ID: '', PASIS_WEBHOOK_SECRET: '' },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = once(child, 'exit');
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    return { child, stderr: () => stderr };
  }

  async function stop(child: ChildProcess): Promise<number | null> {
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    return (await exited)[0] as number | null;
  }

  it('writes exactly the three env lines to stdout before it serves; the banner and log go to stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pasis-print-env-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, '.env');
    const fd = openSync(file, 'w');
    const port = await reservePort();
    const base = `http://127.0.0.1:${port}`;
    // `pasis sandbox --print-env > .env &`, then a CI step's wait loop.
    const { child, stderr } = start(['--port', String(port), '--app-id', 'app_env'], fd);
    closeSync(fd);
    const deadline = Date.now() + 20_000;
    let answer = await health(base);
    while (typeof answer === 'string' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await health(base);
    }
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    // The moment health answers, the file is complete.
    const lines = readFileSync(file, 'utf8');
    const apps = (await (await fetch(`${base}/_sandbox/apps`)).json()) as {
      data: { webhook_secret: string }[];
    };
    expect(lines).toBe(
      `PASIS_BASE_URL=${base}\nPASIS_APP_ID=app_env\nPASIS_WEBHOOK_SECRET=${apps.data[0]!.webhook_secret}\n`,
    );
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect(await stop(child)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(lines);
    expect(stderr()).toContain(`Pasis sandbox listening on ${base}`);
    expect(stderr()).toMatch(/GET \/ → 200/);
    expect(stderr()).toContain('Sandbox stopped.');
  });

  it('keeps serving after its reader has read three lines and gone (`| head -3`), and exits 0 on Ctrl-C', async () => {
    const { child, stderr } = start(['--port', '0'], 'pipe');
    let out = '';
    const deadline = Date.now() + 20_000;
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    while (out.split('\n').length < 4 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // What `head -3` does after the third line: close its end of the pipe.
    child.stdout!.destroy();
    const [baseLine, appLine, secretLine] = out.split('\n');
    expect(appLine).toMatch(/^PASIS_APP_ID=\S+$/);
    expect(secretLine).toMatch(/^PASIS_WEBHOOK_SECRET=whsec_\S+$/);
    const base = /^PASIS_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(baseLine ?? '')?.[1];
    expect(base).toBeDefined();
    expect(await health(base!)).toMatchObject({ status: 200, body: { ok: true } });
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect(await stop(child)).toBe(0);
    expect(stderr()).toContain('Sandbox stopped.');
  });

  it('is in `pasis sandbox --help`, with the health check a CI step waits on', async () => {
    const run = await pasis(['sandbox', '--help']);
    expect(run.stdout).toContain('--print-env');
    expect(run.stdout).toContain('/_sandbox/health');
  });
});
