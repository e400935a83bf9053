/**
 * A real node:http server on 127.0.0.1:0 in front of a receiver: the raw bytes and Node's
 * headers go to `webhooks.handle()`, its answer goes back to the wire, as an adapter does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignedWebhook } from '../../testing/index.js';
import type { WebhookReceiver } from '../../webhooks/receiver-types.js';

/** A running server and a way to POST signed deliveries to it. */
export interface WebhookServer {
  url: string;
  /** POSTs a delivery; resolves with the status and the parsed JSON answer. */
  post(
    delivery: SignedWebhook,
  ): Promise<{ status: number; json: { ok: boolean; outcome?: string; error?: { code: string } } }>;
  close(): Promise<void>;
}

/** Serves `webhooks` on a fresh port. */
export async function startWebhookServer(webhooks: Pick<WebhookReceiver, 'handle'>): Promise<WebhookServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const answer = await webhooks.handle({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    url,
    async post({ body, headers }) {
      const res = await fetch(url, { method: 'POST', body, headers });
      return { status: res.status, json: await res.json() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
