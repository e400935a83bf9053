// A worker: an Express app answering POST /webhook, either with @pasis/express (ours) or
// with the bare baseline, express.raw() + JSON.parse.
import { parentPort, workerData } from 'node:worker_threads';
import { silentLogger } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import express from 'express';

const app = express();
if (workerData.side === 'ours') {
  let handled = 0;
  app.use(
    pasisWebhook(
      { 'session:processed': async () => void handled++ },
      { secret: workerData.secret, logger: silentLogger },
    ),
  );
} else {
  app.post('/webhook', express.raw({ type: '*/*' }), (req, res) => {
    JSON.parse(req.body.toString('utf8'));
    res.status(200).json({ ok: true });
  });
}
const server = app.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
