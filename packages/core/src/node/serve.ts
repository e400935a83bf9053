import type { ServerResponse } from 'node:http';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';
import { type NodeWebhookRequest, readRawBodyThen } from './read-body.js';
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
export function serveWebhook(
  webhooks: Pick<WebhookReceiver, 'handle' | 'maxBodyBytes'>,
  req: NodeWebhookRequest,
  res: ServerResponse,
): Promise<void> {
  // Callbacks and one .then, not two awaits: one promise and one turn fewer per delivery.
  return new Promise((resolve, reject) => {
    readRawBodyThen(req, webhooks.maxBodyBytes, (read) => {
      try {
        webhooks.handle({ read, headers: req.headers }).then((answer) => {
          try {
            writeWebhookResponse(res, answer);
          } catch {
            // Only a broken response object gets here: end the exchange so that Pasis retries.
            res.destroy();
          }
          resolve();
        }, reject);
      } catch (error) {
        reject(error);
      }
    });
  });
}
