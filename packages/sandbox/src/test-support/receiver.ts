import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookHandler, type PasisEvent, silentLogger } from '@pasis/core';

/** A webhook receiver built on core's handler, on a real port: what a shop would run. */
export interface Receiver {
  url: string;
  port: number;
  /** Events the handler ran for (duplicates are not run again). */
  handled: PasisEvent[];
  /** Every answer core gave, in order. */
  answers: { status: number; outcome?: string; webhookId?: string }[];
  close(): Promise<void>;
}

export async function startReceiver(secret: string, port = 0): Promise<Receiver> {
  const handled: PasisEvent[] = [];
  const answers: Receiver['answers'] = [];
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: (event) => void handled.push(event),
  });
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await webhooks.handle({ body: Buffer.concat(chunks), headers: req.headers });
    const outcome = (JSON.parse(answer.body) as { outcome?: string }).outcome;
    answers.push({ status: answer.status, outcome, webhookId: req.headers['webhook-id'] as string });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/webhook`,
    port: actual,
    handled,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port that was free a moment ago (nothing listens on it now). */
export async function reservePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` every 20 ms until it returns true, for at most `ms`. */
export async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
