/**
 * Confirm-by-fetch under a flood, against the sandbox itself with `--rate-limit` (the unit
 * test in packages/core does the same against core's own §1b server): 2,000 forged
 * deliveries, each naming a session id of its own, 100 at once, to a receiver in `confirm`
 * mode. The retrieves they cost are counted at a proxy in front of the sandbox and must stay
 * within what the sandbox's limit lets through plus the retrieves in flight at each pause;
 * a genuine delivery sent after them (unsigned, as a Pasis that does not sign sends it, and
 * again after each 503's Retry-After) is handled within 5 s.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPasisClient, createWebhookHandler, silentLogger } from '@pasis/core';
import { serveWebhook } from '@pasis/core/node';
import { createSandbox, type Sandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../support/counting-proxy.js';

const FORGERIES = 2_000;
const AT_ONCE = 100;
const RATE_LIMIT = 10; // requests per second per app, initiate and retrieve together
// core's confirmMaxInFlight default: what may already be in flight when a 429 comes back.
const MAX_IN_FLIGHT = 8;

describe('confirm-by-fetch under a flood, against the rate-limited sandbox', () => {
  let sandbox: Sandbox;
  let proxy: CountingProxy;
  let receiver: Server;
  let url: string;
  let client: ReturnType<typeof createPasisClient>;
  const handled: string[] = [];

  beforeAll(async () => {
    sandbox = createSandbox({ rateLimit: RATE_LIMIT, retrySchedule: [] });
    const sandboxUrl = await sandbox.listen(0, '127.0.0.1');
    proxy = await startCountingProxy(sandboxUrl);
    const app = sandbox.registerApp({
      name: 'Flooded shop',
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
    });
    client = createPasisClient({ appId: app.app_id, baseUrl: proxy.url, logger: silentLogger });
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
    await proxy?.close();
    await sandbox?.close();
  });

  const deliver = (sessionId: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'session:processed',
        session_id: sessionId,
        amount: 5000,
        status: 'success',
      }),
    });

  it('costs a bounded number of retrieves, and a genuine delivery sent after them is handled', async () => {
    // A real paid session, whose own webhook is lost: only the delivery below can tell the shop.
    const session = await client.checkout.sessions.create({
      items: [{ name: 'Money Transfer', amount: 5000 }],
      email: 'customer@mail.com',
    });
    const paid = await fetch(`${sandbox.url}/_sandbox/sessions/${session.session_id}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'success', phone: '0780000001', webhook: 'lose' }),
    });
    expect(paid.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the create's slot of the window passes

    let next = 0;
    const statuses = new Map<number, number>();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: AT_ONCE }, async () => {
        while (next < FORGERIES) {
          const res = await deliver(`sess_forged_${next++}`);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const retrieves = proxy.totalRetrieves();
    const windows = Math.ceil(seconds) + 1;
    const bound = RATE_LIMIT * windows + MAX_IN_FLIGHT * windows;
    console.log(`2,000 forgeries in ${seconds.toFixed(1)} s: ${retrieves} retrieves (bound ${bound})`);

    expect([...statuses.keys()].every((status) => status === 422 || status === 503)).toBe(true);
    expect(handled).toEqual([]);
    expect(retrieves).toBeLessThanOrEqual(bound);

    const deadline = performance.now() + 5_000;
    let status = 0;
    while (performance.now() < deadline) {
      const res = await deliver(session.session_id);
      await res.arrayBuffer();
      status = res.status;
      if (status !== 503) break;
      const waitMs = Number(res.headers.get('retry-after')) * 1000;
      await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, deadline - performance.now())));
    }
    expect(status).toBe(200);
    expect(handled).toEqual([session.session_id]);
  }, 120_000);
});
