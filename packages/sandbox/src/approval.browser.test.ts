/**
 * Approval on the payer's phone in a real browser (Debian's chromium through
 * playwright-core): pay with `0780000003`, the page waits, and when the approval window
 * (2 s here) passes it turns to the outcome by itself, with no reload, while the webhook
 * reaches the shop. A second payment from the same number while one waits is refused on the
 * page. Screenshots go to test-results/screenshots/.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from './test-support/browser.js';
import { complete, newSession, type Rig, startRig } from './test-support/flows.js';
import { waitFor } from './test-support/receiver.js';

const SCREENSHOTS = new URL('../../../test-results/screenshots/', import.meta.url).pathname;

describe.runIf(browserAvailable('sandbox approval browser test'))(
  'approval on the payer’s phone, in chromium',
  () => {
    let short: Rig; // a 2 s approval window
    let long: Rig; // the default 5 min
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      short = await startRig({ approvalWindowMs: 2000 }, 'app_short');
      long = await startRig({}, 'app_long');
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await short?.close();
      await long?.close();
    });

    it('waits on the page, then turns to cancelled by itself when the window passes', async () => {
      const { sandbox, appId, receiver } = short;
      const sessionId = await newSession(sandbox, appId, 3000);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${sandbox.url}/pay/${sessionId}`);
      await page.getByLabel('Phone number').fill('0780000003');
      await Promise.all([
        page.waitForURL(`${sandbox.url}/pay/${sessionId}`),
        page.locator('button[value="pay"]').click(),
      ]);
      const region = page.locator('#payment-region');
      expect(await region.textContent()).toContain('Approve the payment on your phone');
      expect(sandbox.store.sessions.get(sessionId)!.status).toBe('open');
      await page.screenshot({ path: `${SCREENSHOTS}sandbox-awaiting-approval.png`, fullPage: true });
      // Marks this very document: a reload or a navigation would lose it.
      await page.evaluate(() => {
        (window as unknown as { stayed: boolean }).stayed = true;
      });
      await expect
        .poll(() => region.textContent(), { timeout: 15_000 })
        .toContain('This checkout is finished');
      expect(await region.textContent()).toContain('cancelled');
      expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
      await waitFor(() => receiver.handled.length === 1, 10_000);
      expect(receiver.handled[0]).toMatchObject({ session_id: sessionId, status: 'cancelled', amount: 3000 });
      const back = page.getByRole('link', { name: /Back to Rig shop/ });
      expect(await back.getAttribute('href')).toContain(`session_id=${sessionId}&status=cancelled`);
      await page.screenshot({ path: `${SCREENSHOTS}sandbox-approval-expired.png`, fullPage: true });
      await page.close();
    });

    it('refuses a second payment from the same number while the first waits', async () => {
      const { sandbox, appId } = long;
      const first = await newSession(sandbox, appId);
      expect((await complete(sandbox, first, { status: 'success', phone: '0780000003' })).status).toBe(202);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(`${sandbox.url}/pay/${first}`);
      expect(await page.locator('#payment-region').textContent()).toContain(
        'Approve the payment on your phone',
      );
      const second = await newSession(sandbox, appId);
      await page.goto(`${sandbox.url}/pay/${second}`);
      await page.getByLabel('Phone number').fill('0780000003');
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.locator('button[value="pay"]').click(),
      ]);
      expect(answer.status()).toBe(409);
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Payer already has an unfinalized transaction');
      expect(sandbox.store.sessions.get(second)!).toMatchObject({ status: 'open' });
      expect(sandbox.store.sessions.get(second)!.approval).toBeUndefined();
      await page.screenshot({ path: `${SCREENSHOTS}sandbox-payment-pending.png`, fullPage: true });
      await page.close();
    });
  },
);
