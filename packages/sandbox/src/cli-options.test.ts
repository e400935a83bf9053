/**
 * The `pasis sandbox` flags of the hardening, approval and rate-limit work, on the built
 * binary: each reaches the running sandbox, and a bad value is one line and exit 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pasis, runSandbox } from './test-support/cli.js';
import { raw } from './test-support/raw.js';
import { reservePort, startReceiver, waitFor } from './test-support/receiver.js';

async function post(url: string, body: object): Promise<{ status: number; json: Record<string, string> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

beforeAll(assertBuilt);

describe('pasis sandbox --allowed-host', () => {
  let sandbox: Awaited<ReturnType<typeof runSandbox>>;
  beforeAll(async () => {
    sandbox = await runSandbox([
      '--in-memory',
      '--allowed-host',
      'sandbox',
      '--allowed-host',
      'shop.test:8080',
    ]);
  });
  afterAll(() => sandbox?.stop());

  it('answers those Hosts besides its own, and 421 to any other', async () => {
    const url = sandbox.url!;
    const port = new URL(url).port;
    const status = async (host: string) => (await raw(url, '/_sandbox/apps', { headers: { host } })).status;
    expect(await status('sandbox:4010')).toBe(200);
    expect(await status('shop.test:8080')).toBe(200);
    expect(await status(`localhost:${port}`)).toBe(200);
    expect(await status('shop.test:8081')).toBe(421);
    expect(await status(`evil.example:${port}`)).toBe(421);
  });

  it('refuses a value that is not a host, in one line with exit 2', async () => {
    const run = await pasis(['sandbox', '--in-memory', '--port', '0', '--allowed-host', 'a/b']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'pasis sandbox: --allowed-host "a/b" is not a host name: write a name or address, optionally with :port\nRun `pasis sandbox --help` for the options.\n',
    );
  });
});

describe('pasis sandbox --approval-window', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-cli-approval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ends a payment from 0780000003 cancelled at its deadline, even across a restart', async () => {
    const secret = generateWebhookSecret();
    const receiver = await startReceiver(secret);
    const args = ['--data-dir', dir, '--app-id', 'app_cli_mm', '--webhook-secret', secret];
    const first = await runSandbox([...args, '--callback-url', receiver.url, '--approval-window', '3s']);
    try {
      expect(first.out).toContain('0780000003 never answers (cancelled after 3s)');
      const created = await post(`${first.url}/api/checkouts/initiate`, {
        items: [{ name: 'Airtime', Amount: 700 }],
        app_id: 'app_cli_mm',
        email: 'c@mail.com',
      });
      const paid = await post(`${first.url}/_sandbox/sessions/${created.json.session_id}/complete`, {
        status: 'success',
        phone: '0780000003',
      });
      expect(paid.status).toBe(202);
    } finally {
      expect((await first.stop()).code).toBe(0);
    }
    // Started again with the default 5 min window: the deadline on disk is what counts.
    const second = await runSandbox(args);
    try {
      await waitFor(() => receiver.handled.length === 1, 20_000);
      expect(receiver.handled[0]).toMatchObject({ amount: 700, status: 'cancelled' });
    } finally {
      await second.stop();
      await receiver.close();
    }
  });

  it('refuses a value that is not a duration, in one line with exit 2', async () => {
    const run = await pasis(['sandbox', '--in-memory', '--port', '0', '--approval-window', 'soon']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^pasis sandbox: --approval-window: "soon" is not a duration; write a whole number and a unit, e\.g\. 500ms, 1s, 2m or 1h\.\nRun `pasis sandbox --help` for the options\.\n$/,
    );
  });
});

describe('pasis sandbox --public-url (a container bound to 0.0.0.0)', () => {
  it('gives payment links and PASIS_BASE_URL on that URL, and answers to its host', async () => {
    const port = await reservePort();
    const publicUrl = `http://pasis.test:${port}`;
    const sandbox = await runSandbox([
      '--in-memory',
      '--app-id',
      'app_pub',
      '--public-url',
      publicUrl,
      '--port',
      String(port),
    ]);
    try {
      expect(sandbox.out).toContain(`PASIS_BASE_URL=${publicUrl}`);
      const local = `http://127.0.0.1:${port}`;
      const created = await post(`${local}/api/checkouts/initiate`, {
        items: [{ name: 'Airtime', Amount: 700 }],
        app_id: 'app_pub',
        email: 'c@mail.com',
      });
      expect(created.json.payment_link).toBe(`${publicUrl}/pay/${created.json.session_id}`);
      const page = await raw(local, `/pay/${created.json.session_id}`, {
        headers: { host: `pasis.test:${port}` },
      });
      expect(page.status).toBe(200);
      expect((await raw(local, '/', { headers: { host: `other.test:${port}` } })).status).toBe(421);
    } finally {
      await sandbox.stop();
    }
  });

  it('refuses a URL with a path, in one line with exit 2', async () => {
    const run = await pasis([
      'sandbox',
      '--in-memory',
      '--port',
      '0',
      '--public-url',
      'http://localhost:4010/x',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'pasis sandbox: --public-url must be an http(s) origin with no path, e.g. http://localhost:4010, not "http://localhost:4010/x".',
    );
  });
});
