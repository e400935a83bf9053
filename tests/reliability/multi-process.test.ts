/**
 * Two shops in two processes (Express and Fastify) behind one Redis: 100 concurrent
 * deliveries of one event, spread over both, run the handler exactly once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../support/free-port.js';
import { fileURLToPath } from 'node:url';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisForTests, type TestRedis } from '../../packages/redis/src/test-support/redis-server.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const redis: TestRedis | undefined = await redisForTests('multi-process dedupe test');
const secret = generateWebhookSecret();

interface ShopProcess {
  url: string;
  output: () => string;
  child: ChildProcess;
}

async function startShop(framework: 'express' | 'fastify'): Promise<ShopProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: `${root}examples/${framework}`,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PASIS_APP_ID: 'app_multi',
      PASIS_BASE_URL: 'http://127.0.0.1:9',
      PASIS_WEBHOOK_SECRET: secret,
      REDIS_URL: redis!.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${framework} shop exited: ${output}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`${framework} shop did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, output: () => output, child };
}

describe.runIf(redis !== undefined)('two shop processes sharing Redis', () => {
  const shops: ShopProcess[] = [];
  beforeAll(async () => {
    shops.push(await startShop('express'), await startShop('fastify'));
  }, 60_000);
  afterAll(async () => {
    for (const shop of shops) {
      shop.child.kill('SIGTERM');
      if (shop.child.exitCode === null) await once(shop.child, 'exit');
    }
    await redis?.stop();
  });

  it('run the handler exactly once for 100 concurrent deliveries of one event', async () => {
    const sessionId = `sess_multi_${Date.now()}`;
    const delivery = signWebhook(
      { kind: 'session:processed', session_id: sessionId, amount: 5000, status: 'success' },
      { secret, id: `msg_${sessionId}` },
    );
    const send = (i: number) =>
      fetch(`${shops[i % 2]!.url}/webhook`, {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      }).then((r) => r.status);
    const first = await Promise.all(Array.from({ length: 100 }, (_, i) => send(i)));
    expect(first.every((status) => status === 200 || status === 409)).toBe(true);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(0);

    // Pasis retries the 409s; they must all end 2xx.
    let pending = first.map((status, i) => (status === 409 ? i : -1)).filter((i) => i >= 0);
    for (let attempt = 0; pending.length > 0 && attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      const again = await Promise.all(pending.map(send));
      pending = pending.filter((_, j) => again[j] !== 200);
    }
    expect(pending).toEqual([]);

    // The handler's side effect: one log line per run, across both processes.
    await new Promise((r) => setTimeout(r, 200));
    const runs = shops.map((shop) => shop.output().split(sessionId).length - 1);
    expect(runs[0]! + runs[1]!).toBe(1);
  });
});
