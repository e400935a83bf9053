import { afterAll, beforeAll, expect, it } from 'vitest';
import { params, testClient } from './test-support/client.js';
import { type FaultServer, startFaultServer } from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

it('1,000 sequential creates reuse keep-alive connections', async () => {
  const { client } = testClient(server.baseUrl);
  for (let i = 0; i < 1000; i++) await client.checkout.sessions.create(params);
  expect(server.requests).toHaveLength(1000);
  // Every body is read to its end, so undici returns each socket to its pool.
  expect(server.connections()).toBeLessThan(10);
});

it('error answers are read in full too, keeping the socket', async () => {
  server.fallback = (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/html' });
    res.end('<html>'.padEnd(64 * 1024, 'x'));
  };
  const before = server.connections();
  const { client } = testClient(server.baseUrl, { maxRetries: 0 });
  for (let i = 0; i < 200; i++) await client.checkout.sessions.create(params).catch(() => {});
  expect(server.connections() - before).toBeLessThan(5);
});
