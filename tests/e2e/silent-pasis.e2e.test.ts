/**
 * The shops when Pasis cannot answer a retrieve (CONTRACT §5). The return page shows the
 * order as the server recorded it, `pending`, and refreshes itself: never an error page,
 * never a long wait. The reconciler, stuck on a retrieve, is stopped by `close()`. Pasis
 * here is a proxy to the sandbox that creates sessions but never answers a retrieve.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { RETURN_CHECK_WAIT_MS, type ReconcileConfig } from '@pasis/example-shop-kit';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsForTests, shopDatabaseForTests, type TestShopDatabase } from '../support/shop-database.js';
import { type RunningShop, SHOP_NAMES, startShop } from '../support/shops.js';

const SUITE = 'a shop while Pasis does not answer a retrieve';
const backend = backendsForTests(SUITE)[0]!; // PostgreSQL when there is one (quicker to start)

interface SilentPasis {
  url: string;
  server: Server;
  /** Retrieves received so far. */
  retrieves(): number;
  /** From now on, retrieves are answered (by the sandbox) instead of held. */
  answer(): void;
}

/** Forwards creates to the sandbox; holds every retrieve open until closed (or `answer()`). */
async function silentPasis(sandboxUrl: string): Promise<SilentPasis> {
  let retrieves = 0;
  let answering = false;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST') {
      retrieves++;
      if (!answering) return; // a retrieve: no answer, ever
      const answer = await fetch(`${sandboxUrl}${req.url}`, { headers: { accept: 'application/json' } });
      return void res
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(await answer.text());
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !['host', 'content-length', 'connection'].includes(name),
      ),
    ) as Record<string, string>;
    const answer = await fetch(`${sandboxUrl}${req.url}`, {
      method: 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    retrieves: () => retrieves,
    answer: () => {
      answering = true;
    },
  };
}

describe.each(SHOP_NAMES)(`${SUITE} (%s shop)`, (name) => {
  const sandbox = createSandbox({ retrySchedule: [] });
  let pasis: SilentPasis;
  let db: TestShopDatabase;
  let appId: string;
  let webhookSecret: string;
  let shop: RunningShop | undefined;
  const start = (reconcile?: ReconcileConfig) =>
    startShop(name, {
      pasis: { appId, baseUrl: pasis.url, webhookSecret },
      reconcile,
      database: db.database,
      logger: silentLogger,
    });

  beforeAll(async () => {
    pasis = await silentPasis(await sandbox.listen(0, '127.0.0.1'));
    webhookSecret = generateWebhookSecret();
    appId = sandbox.registerApp({
      name: 'Silent Pasis',
      verified: true,
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
      webhook_secret: webhookSecret,
    }).app_id;
    db = await shopDatabaseForTests(backend, `${SUITE} (${name})`);
  });
  afterAll(async () => {
    await shop?.close();
    pasis?.server.closeAllConnections();
    pasis?.server.close();
    await sandbox.close();
    await db?.drop();
  });

  it('shows pending and refreshes, within its wait for Pasis', async () => {
    shop = await start(); // the reconciler off: only the return page asks
    const res = await fetch(`${shop.url}/checkout`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@mail.com' }),
    });
    const { session_id } = (await res.json()) as { session_id: string };
    const started = Date.now();
    const page = await fetch(`${shop.url}/return?session_id=${session_id}&status=success`, {
      signal: AbortSignal.timeout(20_000),
    });
    const waited = Date.now() - started;
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-testid="order-status">pending<');
    expect(html).toContain('<meta http-equiv="refresh"');
    // It waited for Pasis, then gave up on its own bound (not the client's 30 s timeout).
    expect(waited).toBeGreaterThanOrEqual(RETURN_CHECK_WAIT_MS - 50);
    expect(waited).toBeLessThan(RETURN_CHECK_WAIT_MS + 10_000);
  });

  it('starts the reconciler when it listens, and close() stops it, a retrieve in flight and all', async () => {
    await shop?.close();
    const before = pasis.retrieves();
    shop = await start({ afterMs: 0, intervalMs: 100 }); // the pending order above is listed at once
    await expect.poll(() => pasis.retrieves(), { timeout: 10_000 }).toBeGreaterThan(before);
    const closing = Date.now();
    await shop.close(); // aborts the retrieve that Pasis never answers, and waits for the run
    shop = undefined;
    expect(Date.now() - closing).toBeLessThan(10_000); // not the client's 30 s timeout
  });

  it('runs the reconciler every interval while it listens, never after close()', async () => {
    pasis.answer(); // Pasis answers now: the session is still open, so every run asks again
    shop = await start({ afterMs: 0, intervalMs: 100 });
    const listening = pasis.retrieves();
    await expect.poll(() => pasis.retrieves(), { timeout: 10_000 }).toBeGreaterThan(listening + 2);
    await shop.close();
    shop = undefined;
    await new Promise((resolve) => setTimeout(resolve, 100)); // a request already on the wire lands
    const closed = pasis.retrieves();
    await new Promise((resolve) => setTimeout(resolve, 500)); // five intervals
    expect(pasis.retrieves()).toBe(closed);
  });
});
