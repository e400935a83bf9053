/**
 * CONTRACT §4 "Approval on the payer's phone", through the control API of a real running
 * sandbox: `0780000003` never answers, so the session stays open until the approval window
 * passes, then ends cancelled with its webhook; meanwhile a second payment from the same
 * number is refused; the deadline survives a restart. Windows are short (via options and
 * `approval_window_ms`); only hangs are bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from './index.js';
import { isoSeconds } from './model.js';
import { complete, getJson, newSession, type Rig, startRig } from './test-support/flows.js';
import { startReceiver, waitFor } from './test-support/receiver.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function rig(options: SandboxOptions = {}): Promise<Rig> {
  const started = await startRig(options, 'app_momo');
  cleanups.push(() => started.close());
  return started;
}

const SILENT = '0780000003';

describe('0780000003 never answers', () => {
  it('leaves the session open, awaiting approval, with no webhook yet', async () => {
    const { sandbox, appId, receiver } = await rig();
    const sessionId = await newSession(sandbox, appId);
    const paid = await complete(sandbox, sessionId, { status: 'success', phone: SILENT });
    expect(paid.status).toBe(202);
    expect(paid.json).toMatchObject({ status: 'open', approval: { phone: SILENT, webhook: 'deliver' } });
    expect(paid.json.delivery_id).toBeUndefined();
    expect(Date.parse(paid.json.approval.expires_at)).toBeGreaterThan(Date.now() + 60_000); // 5 min by default
    const retrieved = await getJson(sandbox, `/api/checkouts/${sessionId}?app_id=${appId}`);
    expect(retrieved.json.status).toBe('open');
    expect(retrieved.json.completed_at).toBeUndefined();
    expect(sandbox.store.deliveries.size).toBe(0);
    expect(receiver.answers).toEqual([]);
    const dashboard = await (await fetch(`${sandbox.url}/?session_id=${sessionId}`)).text();
    expect(dashboard).toContain(`awaiting approval until ${paid.json.approval.expires_at}`);
  });

  it('ends cancelled when the window passes (approvalWindowMs), and its webhook arrives', async () => {
    const { sandbox, appId, receiver } = await rig({ approvalWindowMs: 2000 });
    const sessionId = await newSession(sandbox, appId, 4200);
    const paid = await complete(sandbox, sessionId, { status: 'success', phone: SILENT });
    expect(paid.status).toBe(202);
    const deadline = paid.json.approval.expires_at as string;
    await waitFor(() => receiver.handled.length === 1, 15_000);
    expect(receiver.handled[0]).toMatchObject({
      kind: 'session:processed',
      session_id: sessionId,
      status: 'cancelled',
      amount: 4200,
    });
    const session = sandbox.store.sessions.get(sessionId)!;
    expect(session).toMatchObject({
      status: 'cancelled',
      phone: SILENT,
      completed_at: isoSeconds(new Date(deadline)),
    });
    expect(session.approval).toBeUndefined();
    const retrieved = await getJson(sandbox, `/api/checkouts/${sessionId}?app_id=${appId}`);
    expect(retrieved.json).toMatchObject({ status: 'cancelled', completed_at: session.completed_at });
  });

  it('takes approval_window_ms and the webhook behaviour from the complete body', async () => {
    const { sandbox, appId, receiver } = await rig();
    const sessionId = await newSession(sandbox, appId);
    const paid = await complete(sandbox, sessionId, {
      status: 'success',
      phone: '+250 780 000 003',
      approval_window_ms: 300,
      webhook: 'duplicate',
    });
    expect(paid.status).toBe(202);
    await waitFor(() => receiver.answers.length === 2, 15_000);
    const [delivery] = [...sandbox.store.deliveries.values()];
    expect(delivery).toMatchObject({
      session_id: sessionId,
      behaviour: 'duplicate',
      event: { status: 'cancelled' },
    });
    const bad = await complete(sandbox, await newSession(sandbox, appId), {
      status: 'cancelled',
      approval_window_ms: 10,
    });
    expect(bad.status).toBe(400);
  });
});

describe('a second payment from the same number while one waits', () => {
  it('is refused with 409 payment_pending, in any spelling of the number; others pay', async () => {
    const { sandbox, appId } = await rig();
    const waiting = await newSession(sandbox, appId);
    expect((await complete(sandbox, waiting, { status: 'success', phone: SILENT })).status).toBe(202);
    for (const phone of [SILENT, '+250780000003', '250 780 000 003']) {
      const second = await complete(sandbox, await newSession(sandbox, appId), { status: 'success', phone });
      expect(second.status).toBe(409);
      expect(second.json.error).toMatchObject({
        code: 'payment_pending',
        message: expect.stringContaining('Payer already has an unfinalized transaction'),
      });
      expect(second.json.error.message).not.toContain('780000003');
    }
    // The waiting session itself cannot be paid again, or cancelled, while its prompt is out.
    expect(
      (await complete(sandbox, waiting, { status: 'success', phone: '0780000001' })).json.error.code,
    ).toBe('payment_pending');
    expect((await complete(sandbox, waiting, { status: 'cancelled' })).json.error.code).toBe(
      'payment_pending',
    );
    const other = await complete(sandbox, await newSession(sandbox, appId), {
      status: 'success',
      phone: '0780000001',
    });
    expect(other.json.status).toBe('success');
  });

  it('is accepted again once the first has ended', async () => {
    const { sandbox, appId } = await rig();
    const first = await newSession(sandbox, appId);
    await complete(sandbox, first, { status: 'success', phone: SILENT, approval_window_ms: 100 });
    await waitFor(() => sandbox.store.sessions.get(first)!.status === 'cancelled', 10_000);
    const again = await complete(sandbox, await newSession(sandbox, appId), {
      status: 'success',
      phone: SILENT,
    });
    expect(again.status).toBe(202);
  });
});

describe('a restart while a payment waits', () => {
  function dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'pasis-approval-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
  async function open(dir: string, callbackUrl: string, secret: string): Promise<Sandbox> {
    const sandbox = createSandbox({ dataDir: dir, retrySchedule: [] }); // the default 5 min window
    cleanups.push(() => sandbox.close());
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'Shop',
      app_id: 'app_disk',
      webhook_secret: secret,
      callback_url: callbackUrl,
      return_url: 'http://127.0.0.1:9/r',
    });
    return sandbox;
  }

  it.each([
    ['still ends it at its deadline', 3000, false],
    ['ends it at once when the deadline passed while it was down', 500, true],
  ])('%s', async (_, windowMs, overdue) => {
    const { generateWebhookSecret } = await import('@pasis/core/testing');
    const secret = generateWebhookSecret();
    const receiver = await startReceiver(secret);
    cleanups.push(() => receiver.close());
    const dir = dataDir();
    const first = await open(dir, receiver.url, secret);
    const sessionId = await newSession(first, 'app_disk');
    const paid = await complete(first, sessionId, {
      status: 'success',
      phone: SILENT,
      approval_window_ms: windowMs,
    });
    const deadline = Date.parse(paid.json.approval.expires_at);
    await first.close();
    if (overdue) await waitFor(() => Date.now() > deadline + 50, 10_000);
    const second = await open(dir, receiver.url, secret);
    expect(second.store.sessions.get(sessionId)!.approval).toBeDefined();
    await waitFor(() => receiver.handled.length === 1, 15_000);
    expect(receiver.handled[0]).toMatchObject({ session_id: sessionId, status: 'cancelled' });
    expect(second.store.sessions.get(sessionId)!.completed_at).toBe(isoSeconds(new Date(deadline)));
  });
});
