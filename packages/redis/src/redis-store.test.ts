import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createWebhookHandler, isPasisError, silentLogger } from '@pasis/core';
import { dedupeKey } from '@pasis/core/adapter';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from './index.js';
import { canStartRedis, startPrivateRedis, type TestRedis } from './test-support/redis-server.js';

const secret = generateWebhookSecret();
const event = createTestEvent({ session_id: 'sess_r' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (body: string) => JSON.parse(body) as { error?: { code: string }; outcome?: string };

describe.runIf(canStartRedis('Redis store fault tests'))('the Redis store under faults', () => {
  let redis: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    // Fail fast while Redis is down, and reconnect quickly when it is back.
    client = new Redis(redis.url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    await once(client, 'ready');
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  it('does not run a slow handler twice while it outlives its initial lease (renewal)', async () => {
    let runs = 0;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      // Wide margins: the renewal (every leaseMs / 3) must survive a loaded CI machine.
      leaseMs: 600,
      store: createRedisStore({ client, keyPrefix: 'slow:' }),
      on: async () => {
        runs++;
        await sleep(2000);
      },
    });
    const delivery = signWebhook(event, { secret, id: 'msg_slow' });
    const first = webhooks.handle(delivery);
    await sleep(1400); // more than twice the initial lease
    const concurrent = await webhooks.handle(delivery);
    expect(concurrent.status).toBe(409);
    expect((await first).status).toBe(200);
    expect(codeOf((await webhooks.handle(delivery)).body).outcome).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it('takes over a delivery claimed by a process that was killed, once its lease expired', async () => {
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      import { Redis } from 'ioredis';
      const { createRedisStore } = await import(${JSON.stringify(dist)});
      const store = createRedisStore({ client: new Redis(${JSON.stringify(redis.url)}), keyPrefix: 'killed:' });
      const claim = await store.claim(${JSON.stringify(dedupeKey(event as never, 'msg_killed'))}, { leaseMs: 400 });
      process.stdout.write(claim.state + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
    const [line] = (await once(child.stdout!, 'data')) as [Buffer];
    expect(String(line).trim()).toBe('claimed');
    child.kill('SIGKILL');
    await once(child, 'exit');

    let runs = 0;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      store: createRedisStore({ client, keyPrefix: 'killed:' }),
      on: () => void runs++,
    });
    const delivery = signWebhook(event, { secret, id: 'msg_killed' });
    expect((await webhooks.handle(delivery)).status).toBe(409); // the dead worker's lease still holds
    await sleep(450);
    expect((await webhooks.handle(delivery)).status).toBe(200); // taken over: nothing lost
    expect(runs).toBe(1);
  });

  it('answers 503 without running the handler while Redis is down, and handles the redelivery once it is back', async () => {
    const own = await startPrivateRedis();
    const ownClient = new Redis(own.url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    ownClient.on('error', () => {}); // refused connections while it is down are the point
    await once(ownClient, 'ready');
    let runs = 0;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      store: createRedisStore({ client: ownClient, commandTimeoutMs: 500 }),
      on: () => void runs++,
    });
    const delivery = signWebhook(event, { secret, id: 'msg_down' });
    await own.stop();
    const down = await webhooks.handle(delivery);
    expect(down.status).toBe(503);
    expect(codeOf(down.body).error?.code).toBe('store_unavailable');
    expect(runs).toBe(0);
    const back = await startPrivateRedis(own.port);
    await once(ownClient, 'ready');
    expect((await webhooks.handle(delivery)).status).toBe(200);
    expect(runs).toBe(1);
    ownClient.disconnect();
    await back.stop();
  });

  it('never hangs a request on a Redis that accepts connections and never answers', async () => {
    const silent: Server = createServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const stuck = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: null });
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      store: createRedisStore({ client: stuck, commandTimeoutMs: 300 }),
      on: () => {},
    });
    const started = Date.now();
    const answer = await webhooks.handle(signWebhook(event, { secret, id: 'msg_stuck' }));
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3000); // a bound on hanging, not a speed claim
    stuck.disconnect();
    silent.close();
  });

  it('keeps keys under the prefix', async () => {
    const store = createRedisStore({ client, keyPrefix: 'shop-a:' });
    const claim = (await store.claim('msg_prefix', { leaseMs: 5000 })) as { token: string };
    await store.complete('msg_prefix', claim.token, { ttlMs: 60_000 });
    expect(await client.get('shop-a:msg_prefix')).toBe('done');
    expect(await client.pttl('shop-a:msg_prefix')).toBeGreaterThan(50_000);
    expect(() => createRedisStore({ client: {} as never })).toThrow(/@pasis\/redis/);
  });
});

describe('createRedisStore options', () => {
  it.each([
    [{ client: {} }, /^@pasis\/redis: `client` must be an ioredis client/],
    [
      { client: { evalsha() {}, eval() {} }, commandTimeoutMs: 0 },
      /^@pasis\/redis: commandTimeoutMs must be/,
    ],
    [{ client: { evalsha() {}, eval() {} }, doneTtlMs: -1 }, /^@pasis\/redis: doneTtlMs must be/],
    [undefined, /^@pasis\/redis: `client` must be/],
  ])('refuses %j with a config_error naming @pasis/redis', (options, message) => {
    let thrown: unknown;
    try {
      createRedisStore(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(isPasisError(thrown, 'config_error')).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });
});
