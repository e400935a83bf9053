import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A shop started as its own process, exactly as `pnpm start` runs it (`src/main.ts`). */
export interface ShopProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and waits for the process to end (bounded). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the Express or Fastify shop's `main.ts` under tsx with `env` on top of this
 * process's environment, on `port` (default: a free one), and waits until it answers `GET /`
 * (at most 60 s: tsx and the schema on a loaded machine).
 */
export async function startShopProcess(
  framework: 'express' | 'fastify',
  env: Record<string, string>,
  port?: number,
): Promise<ShopProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: `${root}examples/${framework}`,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(listenOn), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${listenOn}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${framework} shop exited: ${output}`);
    const up = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`${framework} shop did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port: listenOn, child, output: () => output, stop };
}
