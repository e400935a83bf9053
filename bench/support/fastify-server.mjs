// A server process: a Fastify app answering POST /webhook, with @pasis/fastify (ours), with a bare
// route that only parses the JSON body (the baseline), or with the least a verifying route
// must do (the limit: raw bytes, one HMAC, a constant-time compare, JSON.parse).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ready, serverData } from './server-process.mjs';
import pasis from '@pasis/fastify';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
if (serverData.side === 'ours') {
  let handled = 0;
  // No logger option: deliveries log through request.log (Fastify's, silent here), the default path.
  await app.register(pasis, { webhook: { secret: serverData.secret } });
  app.pasis.on('session:processed', async () => void handled++);
} else if (serverData.side === 'limit') {
  const key = Buffer.from(serverData.secret.slice('whsec_'.length), 'base64');
  await app.register(async (child) => {
    child.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    child.post('/webhook', async (request, reply) => {
      const h = request.headers;
      const expected = createHmac('sha256', key)
        .update(`${h['webhook-id']}.${h['webhook-timestamp']}.`)
        .update(request.body)
        .digest();
      const given = Buffer.from(String(h['webhook-signature']).slice(3), 'base64');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return reply.code(401).send();
      JSON.parse(request.body.toString('utf8'));
      return { ok: true };
    });
  });
} else {
  app.post('/webhook', async () => ({ ok: true }));
}
await app.listen({ port: 0, host: '127.0.0.1' });
ready(app.server.address().port);
