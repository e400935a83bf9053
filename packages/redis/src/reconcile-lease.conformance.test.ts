import { isPasisError } from '@pasis/core';
import { describeReconcileLeaseConformance } from '@pasis/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisReconcileLease } from './index.js';
import { redisForTests, type TestRedis } from './test-support/redis-server.js';

const redis: TestRedis | undefined = await redisForTests('Redis reconcile lease conformance');
let client: Redis;
const instances: Redis[] = [];

describe.runIf(redis !== undefined)('the Redis reconcile lease', () => {
  beforeAll(() => {
    client = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    for (const instance of [client, ...instances]) instance.disconnect();
    await redis!.stop();
  });

  describeReconcileLeaseConformance({
    describe,
    it,
    name: 'createRedisReconcileLease',
    // Each instance has its own connection, as separate processes would.
    makeLease: () => {
      const own = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
      instances.push(own);
      return createRedisReconcileLease({ client: own, keyPrefix: `test:${process.pid}:{lease}:` });
    },
  });

  it('keeps each key for leaseMs, holding its owner token', async () => {
    const lease = createRedisReconcileLease({ client, keyPrefix: 'ttl:{lease}:' });
    const id = `cs_ttl_${Date.now()}`;
    expect(await lease.claim([id], { leaseMs: 60_000 })).toEqual([id]);
    const ttl = await client.pttl(`ttl:{lease}:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await client.get(`ttl:{lease}:${id}`)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a client that is not ioredis, and a bad commandTimeoutMs', () => {
    for (const [options, mentions] of [
      [{ client: {} }, '`client` must be an ioredis client'],
      [{ client, commandTimeoutMs: 0 }, 'commandTimeoutMs must be a positive integer'],
    ] as const) {
      try {
        createRedisReconcileLease(options as never);
        throw new Error('expected a config_error');
      } catch (error) {
        expect(isPasisError(error, 'config_error')).toBe(true);
        expect((error as Error).message).toMatch(/^@pasis\/redis: /);
        expect((error as Error).message).toContain(mentions);
      }
    }
  });
});
