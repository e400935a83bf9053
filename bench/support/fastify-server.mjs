// A server process: a Fastify app answering POST /webhook, with @pasis/fastify (ours), with a bare
// route that only parses the JSON body (the baseline), or with the least a verifying route
// must do (the limit, limits.mjs).

import pasis from '@pasis/fastify';
import Fastify from 'fastify';
import { registerFastifyLimit } from './limits.mjs';
import { ready, serverData } from './server-process.mjs';

const app = Fastify({ logger: false });
if (serverData.side === 'ours') {
  let handled = 0;
  // No logger option: deliveries log through request.log (Fastify's, silent here), the default path.
  await app.register(pasis, { webhook: { secret: serverData.secret } });
  app.pasis.on('session:processed', async () => void handled++);
} else if (serverData.side === 'limit') {
  await registerFastifyLimit(app, serverData.secret);
} else {
  app.post('/webhook', async () => ({ ok: true }));
}
await app.listen({ port: 0, host: '127.0.0.1' });
ready(app.server.address().port);
