/**
 * CONTRACT §4 "Who may drive it" in a real browser (Debian's chromium through
 * playwright-core). A page elsewhere (here: another local server, as any site the developer
 * visits could be) posts forms to the sandbox: a text/plain form shaped as JSON that
 * registers an app over the shop's, a form that pays a session. Both are refused and change
 * nothing. The sandbox's own buttons keep working, and a tampered `return_to` stays on it.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWebhookSecret } from '@pasis/core/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { browserAvailable, launchChromium } from './test-support/browser.js';
import { complete, newSession } from './test-support/flows.js';
import { waitFor } from './test-support/receiver.js';

describe.runIf(browserAvailable('sandbox who-may-drive browser test'))(
  'a page elsewhere, in chromium',
  () => {
    const sandbox = createSandbox({ retrySchedule: [] });
    const pages = new Map<string, string>();
    const hits: string[] = [];
    const attacker = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end(pages.get(req.url ?? '') ?? '<h1>evil</h1>');
    });
    let evil: string;
    let browser: Browser;

    beforeAll(async () => {
      attacker.listen(0, '127.0.0.1');
      await once(attacker, 'listening');
      evil = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
      await sandbox.listen(0);
      sandbox.registerApp({
        name: 'Shop',
        app_id: 'app_shop',
        callback_url: 'http://127.0.0.1:9/webhook',
        return_url: 'http://127.0.0.1:9/return',
      });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await sandbox.close();
      attacker.close();
    });

    /** Opens the attacker's page, which submits its form at once; resolves with the sandbox's answer. */
    async function visit(path: string, form: string): Promise<{ status: number; text: string; page: Page }> {
      pages.set(path, `<!doctype html><body>${form}<script>document.forms[0].submit()</script></body>`);
      const page = await browser.newPage();
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().startsWith(sandbox.url) && r.request().method() === 'POST'),
        page.goto(`${evil}${path}`),
      ]);
      return { status: answer.status(), text: await answer.text(), page };
    }

    it('cannot register an app over the shop’s with a text/plain form shaped as JSON', async () => {
      const before = structuredClone(sandbox.store.apps.get('app_shop'));
      const json = JSON.stringify({
        name: 'Attacker',
        app_id: 'app_shop',
        callback_url: `${evil}/hook`,
        return_url: `${evil}/return`,
        verified: true,
        webhook_secret: generateWebhookSecret(),
      }).slice(0, -1);
      const field = `${json},"pad":"`;
      const { status, text, page } = await visit(
        '/register',
        `<form method="post" enctype="text/plain" action="${sandbox.url}/_sandbox/apps"><input type="hidden" name='${field}' value='"}'></form>`,
      );
      expect(status).toBe(403);
      expect(JSON.parse(text).error.code).toBe('cross_origin_request');
      expect(sandbox.store.apps.get('app_shop')).toEqual(before);
      expect(sandbox.store.apps.size).toBe(1);
      await page.close();
    });

    it('cannot complete a session through the pay page or the control API', async () => {
      const sessionId = await newSession(sandbox, 'app_shop');
      const pay = await visit(
        '/pay',
        `<form method="post" action="${sandbox.url}/pay/${sessionId}"><input name="phone" value="0780000001"><input name="action" value="pay"></form>`,
      );
      expect(pay.status).toBe(403);
      await pay.page.close();
      const api = await visit(
        '/complete',
        `<form method="post" enctype="text/plain" action="${sandbox.url}/_sandbox/sessions/${sessionId}/complete"><input type="hidden" name='{"status":"success","pad":"' value='"}'></form>`,
      );
      expect(api.status).toBe(403);
      await api.page.close();
      expect(sandbox.store.sessions.get(sessionId)!.status).toBe('open');
      expect(sandbox.store.deliveries.size).toBe(0);
    });

    it('keeps its own buttons working, and a tampered return_to on the sandbox', async () => {
      const sessionId = await newSession(sandbox, 'app_shop');
      const { json } = await complete(sandbox, sessionId, { status: 'cancelled' });
      const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
      await waitFor(() => delivery.attempts.length === 1);
      const page = await browser.newPage();
      await page.goto(`${sandbox.url}/?session_id=${sessionId}`);
      // What a developer tricked into editing the form (or a bug) could send.
      const trick = `/\t/${new URL(evil).host}/stolen`;
      await page
        .locator('input[name="return_to"]')
        .first()
        .evaluate((input, value) => {
          (input as HTMLInputElement).value = value;
        }, trick);
      hits.length = 0;
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: `Redeliver ${delivery.id} with the same webhook-id` }).click(),
      ]);
      await page.waitForLoadState();
      expect(new URL(page.url()).origin).toBe(sandbox.url);
      expect(hits).toEqual([]);
      await waitFor(() => delivery.attempts.length === 2);
      expect(delivery.attempts[1]!.reason).toBe('redeliver');
      await page.close();
    });
  },
);
