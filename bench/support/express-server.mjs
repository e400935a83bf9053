// A server process: an Express app answering POST /webhook, with @pasis/express (ours), with the
// bare baseline (express.raw() + JSON.parse), or with the least a verifying receiver must do,
// reading the stream itself as ours does (the limit, limits.mjs).

import { silentLogger } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import express from 'express';
import { nodeLimit } from './limits.mjs';
import { ready, serverData } from './server-process.mjs';

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
  app.use(nodeLimit(serverData.secret));
} else {
  app.post('/webhook', express.raw({ type: '*/*' }), (req, res) => {
    JSON.parse(req.body.toString('utf8'));
    res.status(200).json({ ok: true });
  });
}
const server = app.listen(0, '127.0.0.1', () => ready(server.address().port));
