/**
 * The hosted page in a real browser (Debian's chromium through playwright-core): open a
 * payment_link, type a phone number, pay, land on the return URL; the dashboard then shows
 * the delivery. Screenshots go to test-results/screenshots/.
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { generateWebhookSecret } from '@pasis/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { browserAvailable, launchChromium } from './test-support/browser.js';
import { type Receiver, startReceiver, waitFor } from './test-support/receiver.js';

const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;

describe.runIf(browserAvailable('sandbox browser test'))('the hosted pay page in chromium', () => {
  const sandbox = createSandbox({ retrySchedule: [50, 100] });
  const secret = generateWebhookSecret();
  const returnPage = createServer((req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Back at the shop</h1><p>${req.url}</p>`),
  );
  let receiver: Receiver;
  let browser: Browser;
  let returnUrl: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    returnPage.listen(0, '127.0.0.1');
    await once(returnPage, 'listening');
    returnUrl = `http://127.0.0.1:${(returnPage.address() as { port: number }).port}/return`;
    receiver = await startReceiver(secret);
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'Kigali Coffee',
      app_id: 'app_browser',
      webhook_secret: secret,
      callback_url: receiver.url,
      return_url: returnUrl,
      approved_numbers: ['0780000001'],
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await sandbox.close();
    returnPage.close();
  });

  it('pays, returns to the shop, and the dashboard shows the delivery', async () => {
    const res = await fetch(`${sandbox.url}/api/checkouts/initiate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [
          { name: 'Money Transfer', Amount: 5000 },
          { name: 'Airtime', Amount: 1500 },
        ],
        app_id: 'app_browser',
        email: 'customer@mail.com',
      }),
    });
    const session = (await res.json()) as { session_id: string; payment_link: string };
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(session.payment_link);
    await expect.poll(() => page.title()).toContain('Kigali Coffee');
    await page.getByLabel('Phone number').fill('0788999999');
    await page.locator('button[value="pay"]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Phone number not found');
    await page.screenshot({ path: `${SCREENSHOTS}sandbox-phone-not-found.png`, fullPage: true });
    await page.getByLabel('Phone number').fill('0780000001');
    await page.screenshot({ path: `${SCREENSHOTS}sandbox-pay-page.png`, fullPage: true });
    await Promise.all([page.waitForURL(/\/return\?/), page.locator('button[value="pay"]').click()]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('session_id')).toBe(session.session_id);
    expect(landed.searchParams.get('status')).toBe('success');
    await waitFor(() => receiver.handled.length === 1);
    await page.goto(`${sandbox.url}/`);
    const deliveries = page.locator('#deliveries + table');
    await expect.poll(() => deliveries.textContent()).toContain('delivered');
    expect(await deliveries.textContent()).toContain('#1 200');
    await page.screenshot({ path: `${SCREENSHOTS}sandbox-dashboard.png`, fullPage: true });
    await page.close();
  });
});
