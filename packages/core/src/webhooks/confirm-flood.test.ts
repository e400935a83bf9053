/**
 * The acceptance case of confirm-by-fetch under attack, on real servers: 2,000 forged
 * deliveries (each naming a session id of its own, so that no cache helps), 100 at once,
 * to a receiver in `confirm` mode whose Pasis (§1b) is rate limited like the real one. They
 * must cost a bounded number of retrieves, none of them may wait on the rate limit, and a
 * genuine delivery sent after them must be handled (a bound on a hang: 5 s, as Pasis's own
 * retries would send it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasisClient } from '../client/create-client.js';
import { silentLogger } from '../logging/logger.js';
import { serveWebhook } from '../node/serve.js';
import { type SessionServer, startSessionServer } from '../testing/peers/session-server.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { DEFAULT_CONFIRM_MAX_IN_FLIGHT } from './confirming.js';
import { createWebhookHandler } from './receiver.js';

const FORGERIES = 2_000;
const AT_ONCE = 100;
// Pasis's limit in this test: 20 at once, 10 more each second (its 429 says Retry-After: 1).
const LIMIT = { burst: 20, perSecond: 10 };
// A pause after a 429 lasts at least 1 s (confirming.ts).
const MIN_PAUSE_SEC = 1;

/**
 * The most retrieves `seconds` of flood may cost: what Pasis's limit lets through, plus, per
 * pause window, the retrieves already in flight when the 429 came back.
 */
function retrieveBound(seconds: number): number {
  const windows = Math.ceil(seconds / MIN_PAUSE_SEC) + 1;
  return LIMIT.burst + Math.ceil(LIMIT.perSecond * seconds) + DEFAULT_CONFIRM_MAX_IN_FLIGHT * windows;
}

describe('confirm-by-fetch under a flood of forgeries', () => {
  let pasis: SessionServer;
  let receiver: Server;
  let url: string;
  const handled: string[] = [];

  beforeAll(async () => {
    pasis = await startSessionServer('app_flood', { rateLimit: LIMIT });
    // The client as the README shows it: its default retries honour Retry-After up to 60 s.
    const client = createPasisClient({ appId: pasis.appId, baseUrl: pasis.baseUrl, logger: silentLogger });
    const webhooks = createWebhookHandler({
      confirm: { client },
      logger: silentLogger,
      on: { 'session:processed': (event) => void handled.push(event.session_id) },
    });
    receiver = createServer((req, res) => void serveWebhook(webhooks, req, res));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook`;
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve));
    await pasis?.close();
  });

  const deliver = (sessionId: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(createTestEvent({ session_id: sessionId })),
    });

  it('costs a bounded number of retrieves, and a genuine delivery sent after them is handled', async () => {
    const genuine = 'sess_flood_genuine';
    pasis.set(genuine, 'success', 5000);
    const answers = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < FORGERIES) {
          const res = await deliver(`sess_forged_${next++}`);
          await res.arrayBuffer();
          const key = `${res.status} ${res.headers.get('retry-after') ?? '-'}`;
          answers.set(key, (answers.get(key) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const retrieves = pasis.requested.length;

    // Every forgery refused: 422 when Pasis said it does not know the session, else 503
    // with a Retry-After; none handled.
    for (const key of answers.keys()) expect(key).toMatch(/^(422 -|503 \d+)$/);
    expect([...answers.values()].reduce((a, b) => a + b)).toBe(FORGERIES);
    expect(handled).toEqual([]);
    expect(retrieves).toBeLessThanOrEqual(retrieveBound(seconds));

    // The genuine delivery, sent as Pasis sends it: again after each 503's Retry-After, for
    // at most 5 s in all (the hang before this fix was 60 s inside the first request).
    const deadline = performance.now() + 5_000;
    let status = 0;
    while (performance.now() < deadline) {
      const res = await deliver(genuine);
      await res.arrayBuffer();
      status = res.status;
      if (status !== 503) break;
      const waitMs = Number(res.headers.get('retry-after')) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, deadline - performance.now())));
    }
    expect(status).toBe(200);
    expect(handled).toEqual([genuine]);
  }, 120_000);
});
