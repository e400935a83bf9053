import type { ServerResponse } from 'node:http';
import type { WebhookResponse } from '../webhooks/receiver-types.js';

/**
 * Writes core's answer to a Node response exactly as it is: status, headers and body.
 * Node's own API, the same under Express 4 and 5, Nest and Koa. When nothing can be written
 * any more (headers already sent by someone else), the socket is destroyed rather than a
 * second answer started: the sender sees a failed delivery and retries it.
 *
 * @example
 * writeWebhookResponse(res, await webhooks.handle({ body, headers: req.headers }));
 */
export function writeWebhookResponse(res: ServerResponse, answer: WebhookResponse): void {
  if (res.destroyed) return;
  if (res.headersSent || res.writableEnded) {
    res.destroy();
    return;
  }
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
