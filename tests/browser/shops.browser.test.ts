/**
 * The whole flow as a customer sees it, in a real browser, for each example shop (on PGlite
 * on disk, as `pnpm demo` runs it): open the shop, buy, pay (or cancel) on the sandbox's
 * hosted page, come back, and see the status the server recorded: from the webhook, or,
 * when the webhook is lost, from the return page asking Pasis. Screenshots land in
 * test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import { silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../../packages/sandbox/src/test-support/browser.js';
import { shopDatabaseForTests, type TestShopDatabase } from '../support/shop-database.js';
import { type RunningShop, SHOP_NAMES, startShop } from '../support/shops.js';

const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;
const run = browserAvailable('browser end-to-end test of the example shops');

async function orderStatusAfterReturn(page: Page): Promise<string> {
  // The return page refreshes itself while the order is pending; wait for a final state.
  const status = page.getByTestId('order-status');
  await expect
    .poll(async () => (await status.textContent().catch(() => ''))?.trim(), {
      timeout: 15_000,
      interval: 250,
    })
    .toMatch(/^(paid|cancelled|amount_mismatch)$/);
  return ((await status.textContent()) ?? '').trim();
}

describe.runIf(run).each(SHOP_NAMES)('a customer buying in the %s shop', (name) => {
  let browser: Browser;
  let shop: RunningShop;
  let db: TestShopDatabase;
  const sandbox = createSandbox({ retrySchedule: [100, 200, 400, 800] });

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    const appId = `app_browser_${name}`;
    const webhookSecret = generateWebhookSecret();
    db = await shopDatabaseForTests('pglite', `browser test (${name})`);
    // The reconciler off: a lost webhook is found by the return page alone.
    shop = await startShop(name, {
      pasis: { appId, baseUrl, webhookSecret },
      database: db.database,
      logger: silentLogger,
    });
    sandbox.registerApp({
      name: `Browser shop (${name})`,
      app_id: appId,
      webhook_secret: webhookSecret,
      callback_url: `${shop.url}/webhook`,
      return_url: `${shop.url}/return`,
      verified: false,
      approved_numbers: ['0780000001', '0780000002'],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await sandbox.close();
    await db?.drop();
  });

  async function buyAndFinish(
    action: 'pay' | 'cancel',
    shot: boolean,
    webhook: 'deliver' | 'lose' = 'deliver',
  ): Promise<{ page: Page; status: string }> {
    const page = await browser.newPage({ viewport: { width: 420, height: 860 } });
    await page.goto(shop.url);
    if (shot) await page.screenshot({ path: `${SCREENSHOTS}${name}-1-shop.png`, fullPage: true });
    await page.fill('input[name="email"]', 'customer@mail.com');
    await Promise.all([page.waitForURL(/\/pay\//), page.getByRole('button', { name: 'Buy' }).click()]);
    await page.fill('input[name="phone"]', '0780000001');
    await page.check(`input[name="webhook"][value="${webhook}"]`);
    if (shot) await page.screenshot({ path: `${SCREENSHOTS}${name}-2-pay-page.png`, fullPage: true });
    await Promise.all([
      page.waitForURL(/\/return\?/),
      page.locator(`button[name="action"][value="${action}"]`).click(),
    ]);
    return { page, status: await orderStatusAfterReturn(page) };
  }

  it('pays with a test number and sees the order paid', async () => {
    const { page, status } = await buyAndFinish('pay', true);
    expect(status).toBe('paid');
    await page.screenshot({ path: `${SCREENSHOTS}${name}-3-return-paid.png`, fullPage: true });
    await page.goto(`${sandbox.url}/`);
    await expect.poll(() => page.content()).toContain('session:processed');
    await page.screenshot({ path: `${SCREENSHOTS}${name}-4-dashboard.png`, fullPage: true });
    await page.close();
  });

  it('cancels on the pay page and sees the order cancelled', async () => {
    const { page, status } = await buyAndFinish('cancel', false);
    expect(status).toBe('cancelled');
    await page.close();
  });

  it('pays with the webhook lost and still sees the order paid: the return page asks Pasis', async () => {
    const { page, status } = await buyAndFinish('pay', false, 'lose');
    expect(status).toBe('paid');
    const sessionId = new URL(page.url()).searchParams.get('session_id')!;
    const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === sessionId);
    expect(delivery).toMatchObject({ state: 'lost', attempts: [] });
    await page.close();
  });
});
