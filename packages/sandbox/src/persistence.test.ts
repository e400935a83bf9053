/**
 * A sandbox with a data dir forgets nothing on restart: apps, sessions, deliveries and
 * attempts come back, and pending retries resume on their schedule. Real data dirs in
 * temporary directories, real receivers. (What a data dir refuses: data-dir.test.ts.)
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPasisError } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './index.js';
import { complete, newSession, sleep } from './test-support/flows.js';
import { reservePort, startReceiver, waitFor } from './test-support/receiver.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-sandbox-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function open(dataDir: string, retrySchedule: number[] = []): Sandbox {
  const sandbox = createSandbox({ dataDir, retrySchedule });
  cleanups.push(() => sandbox.close());
  return sandbox;
}

const secret = generateWebhookSecret();
function register(sandbox: Sandbox, callbackUrl: string, appId = 'app_disk') {
  return sandbox.registerApp({
    name: 'Disk shop',
    app_id: appId,
    webhook_secret: secret,
    verified: true,
    callback_url: callbackUrl,
    return_url: 'http://127.0.0.1:9/r',
  });
}

/** Everything the store holds, as plain data. */
function snapshot(sandbox: Sandbox) {
  const { store } = sandbox;
  return JSON.parse(
    JSON.stringify({
      apps: [...store.apps.values()],
      sessions: [...store.sessions.values()],
      deliveries: [...store.deliveries.values()].map((d) => ({
        ...d,
        attempts: [...d.attempts].sort((a, b) => a.attempt - b.attempt),
      })),
      idempotency: [...store.idempotency.entries()],
    }),
  );
}

describe('a restart on the same data dir', () => {
  it('resumes a pending retry on its schedule, and the dashboard still lists the session', async () => {
    const dir = tempDir();
    const port = await reservePort();
    const first = open(dir, [1500]);
    await first.listen(0);
    register(first, `http://127.0.0.1:${port}/webhook`);
    const sessionId = await newSession(first, 'app_disk');
    const { json } = await complete(first, sessionId, { status: 'success' });
    const before = first.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => before.attempts.length === 1 && before.next_retry_at !== undefined);
    expect(before.attempts[0]!.error).toBe('ECONNREFUSED');
    const due = Date.parse(before.next_retry_at!);
    await first.close();

    const receiver = await startReceiver(secret, port);
    cleanups.push(() => receiver.close());
    const second = open(dir, [1500]);
    const after = second.store.deliveries.get(json.delivery_id)!;
    expect(after).toMatchObject({
      state: 'pending',
      next_retry_at: before.next_retry_at,
      webhook_id: before.webhook_id,
    });
    expect(after.attempts).toHaveLength(1);
    expect(second.store.sessions.get(sessionId)?.status).toBe('success');
    await second.listen(0);
    await waitFor(() => after.state === 'delivered', 10_000);
    expect(after.attempts[1]).toMatchObject({ attempt: 2, reason: 'retry', status_code: 200 });
    expect(Date.parse(after.attempts[1]!.at)).toBeGreaterThanOrEqual(due);
    expect(receiver.answers.map((a) => a.webhookId)).toEqual([before.webhook_id]);
    expect(await (await fetch(`${second.url}/`)).text()).toContain(sessionId);
  });

  it('leaves an attempt cut short by close() pending, and sends it again at once on start', async () => {
    const dir = tempDir();
    let hang = true;
    const server = createServer((req, res) => {
      req.resume();
      if (!hang) res.writeHead(200).end('ok');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const first = open(dir, [3_600_000]);
    await first.listen(0);
    register(first, `http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    const { json } = await complete(first, await newSession(first, 'app_disk'), { status: 'success' });
    await sleep(200); // the attempt is open at the hanging server
    await first.close();
    hang = false;
    const second = open(dir, [3_600_000]);
    const delivery = second.store.deliveries.get(json.delivery_id)!;
    expect(delivery.state).toBe('pending');
    expect(delivery.attempts.map((a) => a.error)).toEqual(['sandbox_closed']);
    await second.listen(0);
    await waitFor(() => delivery.state === 'delivered', 10_000);
    expect(delivery.attempts.map((a) => a.status_code ?? a.error)).toEqual(['sandbox_closed', 200]);
  });

  it('brings back apps, sessions, idempotency keys, deliveries and every attempt exactly', async () => {
    const dir = tempDir();
    const receiver = await startReceiver(secret);
    cleanups.push(() => receiver.close());
    const first = open(dir);
    await first.listen(0);
    register(first, receiver.url);
    register(first, receiver.url, 'app_other');
    const key = { 'idempotency-key': 'order-1', 'content-type': 'application/json' };
    const body = JSON.stringify({
      items: [{ name: 'A', Amount: 1200 }],
      app_id: 'app_disk',
      email: 'e@mail.com',
    });
    const keyed = await (
      await fetch(`${first.url}/api/checkouts/initiate`, { method: 'POST', headers: key, body })
    ).json();
    await newSession(first, 'app_other'); // stays open
    const paid = await complete(first, await newSession(first, 'app_disk'), { status: 'success' });
    const lost = await complete(first, keyed.session_id, { status: 'cancelled', webhook: 'lose' });
    const dup = await complete(first, await newSession(first, 'app_disk'), {
      status: 'success',
      webhook: 'duplicate',
    });
    const settled = () => [...first.store.deliveries.values()].every((d) => d.state !== 'pending');
    await waitFor(() => settled() && first.store.deliveries.get(dup.json.delivery_id)!.attempts.length === 2);
    await fetch(`${first.url}/_sandbox/deliveries/${paid.json.delivery_id}/redeliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"new_id":true}',
    });
    await waitFor(() => settled() && first.store.deliveries.size === 4);
    const saved = snapshot(first);
    await first.close();

    const second = open(dir);
    expect(snapshot(second)).toEqual(saved);
    await second.listen(0);
    const again = await (
      await fetch(`${second.url}/api/checkouts/initiate`, { method: 'POST', headers: key, body })
    ).json();
    expect(again.session_id).toBe(keyed.session_id);
    await sleep(200);
    expect(second.store.deliveries.get(lost.json.delivery_id)).toMatchObject({ state: 'lost', attempts: [] });
    expect(snapshot(second).deliveries).toEqual(saved.deliveries);
  });
});

describe('options', () => {
  it.each([
    [{ retrySchedule: [-1] }, /retrySchedule\[0\]/],
    [{ retrySchedule: '1s' }, /retrySchedule must be an array/],
    [{ webhook: 'drop' }, /webhook must be one of deliver, lose, duplicate, delay/],
    [{ webhookDelayMs: 1.5 }, /webhookDelayMs/],
    [{ deliveryTimeoutMs: 0 }, /deliveryTimeoutMs/],
    [{ dataDir: '' }, /dataDir/],
  ])('refuses %o with a config_error naming @pasis/sandbox', (options, pattern) => {
    let error: unknown;
    try {
      createSandbox(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(/^@pasis\/sandbox: /);
    expect((error as Error).message).toMatch(pattern);
  });

  it('throws a config_error for url before listen', () => {
    const sandbox = createSandbox();
    expect(() => sandbox.url).toThrow(/@pasis\/sandbox: the sandbox is not listening yet/);
    return sandbox.close();
  });
});
