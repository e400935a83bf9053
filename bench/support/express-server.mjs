// A server process: an Express app answering POST /webhook, with @pasis/express (ours), with the
// bare baseline (express.raw() + JSON.parse), or with the least a verifying route must do (the
// limit: raw bytes, one HMAC, a constant-time compare, JSON.parse; the same work as the
// Fastify limit in fastify-server.mjs).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ready, serverData } from './server-process.mjs';
import { silentLogger } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import express from 'express';

const app = express();
if (serverData.side === 'ours') {
  let handled = 0;
  app.use(
    pasisWebhook({
      secret: serverData.secret,
      logger: silentLogger,
      on: { 'session:processed': async () => void handled++ },
    }),
  );
} else if (serverData.side === 'limit') {
  const key = Buffer.from(serverData.secret.slice('whsec_'.length), 'base64');
  app.post('/webhook', express.raw({ type: '*/*' }), (req, res) => {
    const h = req.headers;
    const expected = createHmac('sha256', key)
      .update(`${h['webhook-id']}.${h['webhook-timestamp']}.`)
      .update(req.body)
      .digest();
    const given = Buffer.from(String(h['webhook-signature']).slice(3), 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return res.status(401).end();
    JSON.parse(req.body.toString('utf8'));
    res.status(200).json({ ok: true });
  });
} else {
  app.post('/webhook', express.raw({ type: '*/*' }), (req, res) => {
    JSON.parse(req.body.toString('utf8'));
    res.status(200).json({ ok: true });
  });
}
const server = app.listen(0, '127.0.0.1', () => ready(server.address().port));
