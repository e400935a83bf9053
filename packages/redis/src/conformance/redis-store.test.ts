import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisStore } from '../index.js';
import { redisForTests, type TestRedis } from '../test-support/redis-server.js';
import { describeStoreConformance } from './suite.js';

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
  describeStoreConformance('createRedisStore', () =>
    createRedisStore({ client, keyPrefix: `test:${process.pid}:` }),
  );
});
