import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A Redis for tests, and how to get rid of it. */
export interface TestRedis {
  url: string;
  port: number;
  /** Stops a server this helper started (a shared one is left alone). */
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts a private `redis-server` on 127.0.0.1 (nothing on disk). `port` lets a test restart
 * Redis on the same address after stopping it.
 */
export async function startPrivateRedis(port?: number): Promise<TestRedis> {
  const actual = port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(actual), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  return {
    url: `redis://127.0.0.1:${actual}`,
    port: actual,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/**
 * The Redis the tests use: `PASIS_TEST_REDIS_URL` (CI starts one), else a private
 * `redis-server` when the binary exists, else `undefined` with a loud warning. Under
 * `CI=true` a missing Redis is an error, never a skip.
 */
export async function redisForTests(suite: string): Promise<TestRedis | undefined> {
  const shared = process.env.PASIS_TEST_REDIS_URL;
  if (shared) return { url: shared, port: Number(new URL(shared).port), stop: async () => {} };
  if (hasRedisServer()) return startPrivateRedis();
  if (process.env.CI === 'true')
    throw new Error(`${suite}: no Redis (set PASIS_TEST_REDIS_URL or install redis-server).`);
  console.warn(`\n⚠️  SKIPPED ${suite}: no redis-server on this machine and no PASIS_TEST_REDIS_URL.\n`);
  return undefined;
}

/** Whether private Redis servers can be started (tests that stop Redis need their own). */
export function canStartRedis(suite: string): boolean {
  if (hasRedisServer()) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: redis-server is missing; .ci/run installs it.`);
  console.warn(`\n⚠️  SKIPPED ${suite}: no redis-server on this machine.\n`);
  return false;
}
