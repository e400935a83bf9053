/**
 * Mobile money is not instant (CONTRACT §4): a payer who never answers the prompt on their
 * phone (`0780000003`). In a real browser, for each example shop, with the sandbox's approval
 * window at 2 s: the hosted page waits; the shop's return page, opened
 * meanwhile, says to approve on the phone with the time left; when the window passes the
 * session ends cancelled, its webhook reaches the shop, and both pages turn to the outcome by
 * themselves. A second payment from the same number while the first waits (a minute, set
 * on that payment) is refused.
 */
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../../packages/sandbox/src/test-support/browser.js';
import { complete } from '../../packages/sandbox/src/test-support/flows.js';
import { shopDatabaseForTests, type TestShopDatabase } from '../support/shop-database.js';
import { type RunningShop, SHOP_NAMES, startShop } from '../support/shops.js';

const WINDOW_MS = 2_000;
const run = browserAvailable('browser test of the approval window in the example shops');

const text = async (page: Page, testId: string) =>
  (
    (await page
      .getByTestId(testId)
      .textContent()
      .catch(() => '')) ?? ''
  ).trim();

describe.runIf(run).each(SHOP_NAMES)('a payer who never answers, in the %s shop', (name) => {
  let browser: Browser;
  let shop: RunningShop;
  let db: TestShopDatabase;
  // Retries on: the webhook may meet the shop while it is still starting up.
  const sandbox = createSandbox({ retrySchedule: [100, 200, 400, 800], approvalWindowMs: WINDOW_MS });

  beforeAll(async () => {
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    const appId = `app_approval_${name}`;
    const webhookSecret = generateWebhookSecret();
    db = await shopDatabaseForTests('pglite', `approval browser test (${name})`);
    shop = await startShop(name, {
      pasis: { appId, baseUrl, webhookSecret },
      database: db.database,
      // The shop counts down from its checkout, a little before the payer pressed Pay; a longer
      // window than the sandbox's keeps the countdown on screen on a slow machine.
      approvalWindowMs: 30_000,
      // Many loads of the return page: let each ask Pasis, as the window is short.
      returnCheckIntervalMs: 500,
    });
    sandbox.registerApp({
      name: `Approval shop (${name})`,
      app_id: appId,
      webhook_secret: webhookSecret,
      callback_url: `${shop.url}/webhook`,
      return_url: `${shop.url}/return`,
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await sandbox.close();
    await db?.drop();
  });

  async function buy(page: Page): Promise<string> {
    await page.goto(shop.url);
    await page.fill('input[name="email"]', 'customer@mail.com');
    await Promise.all([page.waitForURL(/\/pay\//), page.getByRole('button', { name: 'Buy' }).click()]);
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  it('waits on the phone, then ends cancelled at the window: webhook, pay page and return page', async () => {
    const pay = await browser.newPage();
    const sessionId = await buy(pay);
    await pay.fill('input[name="phone"]', '0780000003');
    await pay.getByRole('button', { name: /^Pay/ }).click();
    await expect
      .poll(() => pay.getByRole('heading', { name: 'Approve the payment on your phone' }).count())
      .toBe(1);

    // The customer goes back to the shop meanwhile: its return page waits with them.
    const back = await browser.newPage();
    await back.goto(`${shop.url}/return?session_id=${sessionId}`);
    expect(await text(back, 'order-status')).toBe('pending');
    expect(await text(back, 'order-message')).toMatch(
      /^Waiting for approval on your phone: .* About 0:[0-3]\d left\./,
    );

    // Neither page is reloaded by the test: each turns to the outcome by itself.
    await expect.poll(() => text(back, 'order-status'), { timeout: 20_000, interval: 250 }).toBe('cancelled');
    await expect.poll(() => pay.getByText('This checkout is finished').count(), { timeout: 20_000 }).toBe(1);
    const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === sessionId);
    expect(delivery?.event).toMatchObject({ kind: 'session:processed', status: 'cancelled' });
    await expect.poll(() => delivery?.attempts.at(-1)?.status_code, { timeout: 20_000 }).toBe(200);
    await pay.close();
    await back.close();
  });

  it('refuses a second payment from a number whose first one still waits', async () => {
    const first = await browser.newPage();
    const firstId = await buy(first);
    // The first payment waits a minute on the phone (its own window, not the describe's 2 s):
    // on a slow machine the second must still meet it waiting, whatever the browser's pace.
    const waiting = await complete(sandbox, firstId, {
      status: 'success',
      phone: '0780000003',
      approval_window_ms: 60_000,
    });
    expect(waiting.status).toBe(202);
    await first.reload();
    await expect
      .poll(() => first.getByRole('heading', { name: 'Approve the payment on your phone' }).count())
      .toBe(1);

    const second = await browser.newPage();
    await buy(second);
    await second.fill('input[name="phone"]', '0780000003');
    await second.getByRole('button', { name: /^Pay/ }).click();
    await expect.poll(() => second.getByRole('alert').textContent()).toMatch(/unfinalized transaction/i);
    await first.close();
    await second.close();
  });
});
