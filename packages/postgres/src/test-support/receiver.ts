import { once } from 'node:events';
import type { Server } from 'node:http';
import type { SignedWebhook } from '@pasis/core/testing';
import type { Express } from 'express';

/** A real HTTP server on 127.0.0.1 (port 0) around an Express app. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0. */
export async function listen(app: Express): Promise<Listening> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a delivery was answered. */
export interface Answer {
  status: number;
  outcome?: string;
  code?: string;
  retryAfter: string | null;
}

/** POSTs a signed delivery as Pasis would. */
export async function deliver(url: string, delivery: SignedWebhook): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers });
  const body = (await response.json()) as { outcome?: string; error?: { code: string } };
  return {
    status: response.status,
    outcome: body.outcome,
    code: body.error?.code,
    retryAfter: response.headers.get('retry-after'),
  };
}

/**
 * Delivers until the answer is not 409, as Pasis retries, with a short pause instead of
 * the `Retry-After` seconds. Bounded in attempts; answers every answer in order.
 */
export async function deliverUntilSettled(
  url: string,
  delivery: SignedWebhook,
  attempts = 60,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < attempts; i++) {
    const answer = await deliver(url, delivery);
    answers.push(answer);
    if (answer.status !== 409) return answers;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}
