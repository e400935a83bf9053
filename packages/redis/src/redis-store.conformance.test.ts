import { describeStoreConformance } from '@pasis/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createRedisStore } from './index.js';
import { redisForTests, type TestRedis } from './test-support/redis-server.js';

const redis: TestRedis | undefined = await redisForTests('Redis store conformance');
let client: Redis;

describe.runIf(redis !== undefined)('the Redis store', () => {
  beforeAll(() => {
    client = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    client.disconnect();
    await redis!.stop();
  });
  describeStoreConformance({
    describe,
    it,
    name: 'createRedisStore',
    kind: 'lease',
    makeStore: () => createRedisStore({ client, keyPrefix: `test:${process.pid}:` }),
  });
});
