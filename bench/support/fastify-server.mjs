// A worker: a Fastify app answering POST /webhook, either with @pasis/fastify (ours) or
// with a bare route that only parses the JSON body (the baseline).
import { parentPort, workerData } from 'node:worker_threads';
import { silentLogger } from '@pasis/core';
import pasis from '@pasis/fastify';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
if (workerData.side === 'ours') {
  let handled = 0;
  await app.register(pasis, { logger: silentLogger, webhook: { secret: workerData.secret } });
  app.pasis.on('session:processed', async () => void handled++);
} else {
  app.post('/webhook', async () => ({ ok: true }));
}
await app.listen({ port: 0, host: '127.0.0.1' });
parentPort.postMessage({ port: app.server.address().port });
