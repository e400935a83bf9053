/**
 * The return page when Pasis cannot answer (CONTRACT §5): it shows the order as the server
 * recorded it, `pending`, and refreshes itself; never an error page, never a long wait.
 * Pasis here is a proxy to the sandbox that creates sessions but never answers a retrieve.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { RETURN_CHECK_WAIT_MS } from '@pasis/example-shop-kit';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsForTests, shopDatabaseForTests, type TestShopDatabase } from '../support/shop-database.js';
import { type RunningShop, SHOP_NAMES, startShop } from '../support/shops.js';

const SUITE = 'the return page while Pasis does not answer';
const backend = backendsForTests(SUITE)[0]!; // PostgreSQL when there is one (quicker to start)

/** Forwards creates to the sandbox; holds every retrieve open until closed. */
async function silentPasis(sandboxUrl: string): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST') return; // a retrieve: no answer, ever
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
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(SHOP_NAMES)(`${SUITE} (%s shop)`, (name) => {
  const sandbox = createSandbox({ retrySchedule: [] });
  let pasis: { url: string; server: Server };
  let db: TestShopDatabase;
  let shop: RunningShop;

  beforeAll(async () => {
    pasis = await silentPasis(await sandbox.listen(0, '127.0.0.1'));
    const app = sandbox.registerApp({
      name: 'Silent Pasis',
      verified: true,
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
      webhook_secret: generateWebhookSecret(),
    });
    db = await shopDatabaseForTests(backend, `${SUITE} (${name})`);
    shop = await startShop(name, {
      pasis: { appId: app.app_id, baseUrl: pasis.url, webhookSecret: app.webhook_secret },
      database: db.database,
      logger: silentLogger,
    });
  });
  afterAll(async () => {
    await shop?.close();
    pasis?.server.closeAllConnections();
    pasis?.server.close();
    await sandbox.close();
    await db?.drop();
  });

  it('shows pending and refreshes, within its wait for Pasis', async () => {
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
});
