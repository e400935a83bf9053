/**
 * The delivery inspector in a real browser (Debian's chromium through playwright-core):
 * with the dashboard open, pay choosing the sandbox-only `duplicate` behaviour; the
 * dashboard shows the delivery without a reload; its link opens the inspector, which shows
 * both attempts and the shop's two answers. Screenshots go to test-results/screenshots/
 * (docs/sandbox-inspector.png is a copy of the inspector's).
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { generateWebhookSecret } from '@pasis/core/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { browserAvailable, launchChromium } from './test-support/browser.js';
import { newSession } from './test-support/flows.js';
import { type Receiver, startReceiver, waitFor } from './test-support/receiver.js';

const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;

describe.runIf(browserAvailable('sandbox inspector browser test'))(
  'the delivery inspector in chromium',
  () => {
    const sandbox = createSandbox({ retrySchedule: [100, 200] });
    const secret = generateWebhookSecret();
    const returnPage = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Back at the shop</h1>'),
    );
    let receiver: Receiver;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      returnPage.listen(0, '127.0.0.1');
      await once(returnPage, 'listening');
      receiver = await startReceiver(secret);
      await sandbox.listen(0);
      sandbox.registerApp({
        name: 'Kigali Coffee',
        app_id: 'app_inspector',
        webhook_secret: secret,
        callback_url: receiver.url,
        return_url: `http://127.0.0.1:${(returnPage.address() as { port: number }).port}/return`,
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

    it('pays with duplicate, then shows both attempts and both answers', async () => {
      const dashboard = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await dashboard.goto(`${sandbox.url}/`);
      await expect.poll(() => dashboard.locator('#live-status').textContent()).toMatch(/^Live/);

      const sessionId = await newSession(sandbox, 'app_inspector', 6500);
      const payer = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await payer.goto(`${sandbox.url}/pay/${sessionId}`);
      await payer.getByLabel('Phone number').fill('0780000001');
      await payer.getByRole('radio', { name: /^duplicate/ }).check();
      await Promise.all([payer.waitForURL(/\/return\?/), payer.locator('button[value="pay"]').click()]);
      await payer.close();
      await waitFor(() => receiver.answers.length === 2, 10_000);
      const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === sessionId)!;
      await waitFor(() => delivery.attempts.length === 2);

      // No reload: the open dashboard learns of the delivery through its event stream.
      const link = dashboard.getByRole('link', { name: delivery.id });
      await expect.poll(() => link.count(), { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => dashboard.locator('#deliveries-region').textContent())
        .toMatch(/#1 \d{3} · #2 \d{3}/);
      await Promise.all([dashboard.waitForURL(/\/deliveries\/dlv_/), link.click()]);

      const attempts = dashboard.locator('section[aria-labelledby^="attempt-"]');
      await expect.poll(() => attempts.count()).toBe(2);
      const text = (await dashboard.locator('main').textContent()) ?? '';
      expect(text).toContain('Attempt #1 (first)');
      expect(text).toContain('Attempt #2 (duplicate)');
      expect(text).toContain(delivery.webhook_id);
      expect(text).toContain('webhook-signature');
      // The shop's own answers: one handled it; the other was a duplicate or still in progress.
      const outcomes = receiver.answers.map((a) => a.outcome ?? String(a.status));
      expect(outcomes).toContain('handled');
      expect(text).toContain('"outcome": "handled"');
      expect(text).toMatch(/"outcome": "duplicate"|"code": "in_progress"/);
      await dashboard.screenshot({ path: `${SCREENSHOTS}sandbox-inspector.png`, fullPage: true });
      await dashboard.close();
    });
  },
);
