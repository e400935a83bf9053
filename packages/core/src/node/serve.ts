import type { ServerResponse } from 'node:http';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';
import { type NodeWebhookRequest, readRawBody } from './read-body.js';
import { writeWebhookResponse } from './write-response.js';

/**
 * Serves one delivery on a Node `(req, res)`: reads the raw body (bounded by the receiver's
 * `maxBodyBytes`, never waiting on a stream another middleware read), hands it to core and
 * writes core's answer. Never rejects: every outcome, a failing stream included, is an
 * answer from core's status table (or a destroyed socket when nothing can be written).
 * What `@pasis/express` and `@pasis/nestjs` on platform-express call.
 *
 * @example
 * app.use((req, res, next) => (req.method === 'POST' && req.path === '/webhook' ? serveWebhook(webhooks, req, res) : next()));
 */
export async function serveWebhook(
  webhooks: Pick<WebhookReceiver, 'handle' | 'maxBodyBytes'>,
  req: NodeWebhookRequest,
  res: ServerResponse,
): Promise<void> {
  const read = await readRawBody(req, webhooks.maxBodyBytes);
  const answer = await webhooks.handle({ read, headers: req.headers });
  try {
    writeWebhookResponse(res, answer);
  } catch {
    // Only a broken response object gets here: end the exchange so that Pasis retries.
    res.destroy();
  }
}
