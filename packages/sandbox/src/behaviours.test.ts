/**
 * The webhook behaviours of CONTRACT §4 against real receivers on real ports: deliver,
 * lose, duplicate, delay, and both kinds of replay. Every scenario is signed like a normal
 * delivery and verified by core.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { verifyWebhook } from '@pasis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { complete, getJson, newSession, type Rig, sleep, startRig } from './test-support/flows.js';
import { waitFor } from './test-support/receiver.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('webhook: lose', () => {
  it('ends the session (GET /api/checkouts shows it) and never attempts a delivery', async () => {
    rig = await startRig({ retrySchedule: [20, 20] });
    const { sandbox, receiver, appId } = rig;
    const sessionId = await newSession(sandbox, appId);
    const done = await complete(sandbox, sessionId, { status: 'success', webhook: 'lose' });
    expect(done.status).toBe(200);
    const retrieved = await getJson(sandbox, `/api/checkouts/${sessionId}?app_id=${appId}`);
    expect(retrieved.json).toMatchObject({
      session_id: sessionId,
      status: 'success',
      completed_at: expect.any(String),
    });
    const delivery = sandbox.store.deliveries.get(done.json.delivery_id)!;
    expect(delivery).toMatchObject({ behaviour: 'lose', state: 'lost', attempts: [] });
    // Long past any retry of the schedule: still nothing.
    await sleep(300);
    expect(receiver.answers).toEqual([]);
    expect(delivery.attempts).toEqual([]);
    expect(delivery.next_retry_at).toBeUndefined();
    const page = await (await fetch(`${sandbox.url}/deliveries/${delivery.id}`)).text();
    expect(page).toContain('lost on purpose');
  });
});

describe('webhook: duplicate', () => {
  it('sends two concurrent attempts with one webhook-id and the same signed bytes, both recorded', async () => {
    // Holds every request until two are open at once: sequential copies would never both get 200.
    const open: ServerResponse[] = [];
    const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      open.push(res);
      if (open.length === 2) for (const r of open) r.writeHead(200).end('both open');
      else setTimeout(() => res.headersSent || res.writeHead(500).end('alone'), 5000).unref();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    rig = await startRig();
    const { sandbox, secret } = rig;
    sandbox.registerApp({
      name: 'Dup',
      app_id: 'app_dup',
      webhook_secret: secret,
      verified: true,
      callback_url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
      return_url: 'http://127.0.0.1:9/r',
    });
    const sessionId = await newSession(sandbox, 'app_dup');
    const { json } = await complete(sandbox, sessionId, { status: 'success', webhook: 'duplicate' });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => delivery.attempts.length === 2 && delivery.state !== 'pending', 10_000);
    server.close();
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.reason, a.status_code]).sort()).toEqual([
      ['duplicate', 200],
      ['first', 200],
    ]);
    expect(seen).toHaveLength(2);
    const [a, b] = seen;
    expect(a!.headers['webhook-id']).toBe(delivery.webhook_id);
    expect(b!.headers['webhook-id']).toBe(delivery.webhook_id);
    expect(b!.headers['webhook-signature']).toBe(a!.headers['webhook-signature']);
    expect(b!.body).toBe(a!.body);
    expect(
      verifyWebhook({ body: a!.body, headers: a!.headers as Record<string, string>, secret }),
    ).toMatchObject({
      session_id: sessionId,
      status: 'success',
    });
  });

  it('reaches a receiver built on core twice; its handler runs once', async () => {
    rig = await startRig();
    const { sandbox, receiver, appId } = rig;
    const sessionId = await newSession(sandbox, appId);
    const { json } = await complete(sandbox, sessionId, { status: 'cancelled', webhook: 'duplicate' });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => receiver.answers.length === 2 && delivery.attempts.length === 2, 10_000);
    expect(new Set(receiver.answers.map((a) => a.webhookId))).toEqual(new Set([delivery.webhook_id]));
    // One is handled; the other is a duplicate (200) or still in progress (409) — never run twice.
    expect(receiver.answers.map((a) => a.outcome ?? a.status)).toContain('handled');
    expect(receiver.handled).toEqual([
      expect.objectContaining({ session_id: sessionId, status: 'cancelled' }),
    ]);
  });
});

describe('webhook: delay', () => {
  it('makes the first attempt wait delay_ms, then delivers as usual', async () => {
    rig = await startRig();
    const { sandbox, receiver, appId } = rig;
    const sessionId = await newSession(sandbox, appId);
    const { json } = await complete(sandbox, sessionId, {
      status: 'success',
      webhook: 'delay',
      delay_ms: 600,
    });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    expect(delivery).toMatchObject({ behaviour: 'delay', delay_ms: 600, state: 'pending', attempts: [] });
    const due = Date.parse(delivery.next_retry_at!);
    expect(due - Date.parse(delivery.created_at)).toBe(600);
    await waitFor(() => delivery.state === 'delivered', 10_000);
    const [first] = delivery.attempts;
    // Timers never fire early, so this holds however slow the machine is.
    expect(Date.parse(first!.at)).toBeGreaterThanOrEqual(due);
    expect(first).toMatchObject({ reason: 'first', status_code: 200 });
    expect(receiver.handled).toHaveLength(1);
  });

  it('takes its default from webhookDelayMs, and refuses delay_ms with another behaviour', async () => {
    rig = await startRig({ webhook: 'delay', webhookDelayMs: 60_000 });
    const { sandbox, appId } = rig;
    const { json } = await complete(sandbox, await newSession(sandbox, appId), { status: 'success' });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    expect(delivery).toMatchObject({ behaviour: 'delay', delay_ms: 60_000, attempts: [] });
    const refused = await complete(sandbox, await newSession(sandbox, appId), {
      status: 'success',
      webhook: 'deliver',
      delay_ms: 5,
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.issues).toContainEqual(expect.objectContaining({ path: ['delay_ms'] }));
    const unknown = await complete(sandbox, await newSession(sandbox, appId), {
      status: 'success',
      webhook: 'drop',
    });
    expect(unknown.status).toBe(400);
  });
});

describe('replay', () => {
  it('redelivers with the same webhook-id: the receiver answers it as a duplicate', async () => {
    rig = await startRig();
    const { sandbox, receiver, appId } = rig;
    const { json } = await complete(sandbox, await newSession(sandbox, appId), { status: 'success' });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => delivery.state === 'delivered');
    const res = await fetch(`${sandbox.url}/_sandbox/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
    });
    expect(res.status).toBe(202);
    expect((await res.json()).id).toBe(delivery.id);
    await waitFor(() => delivery.attempts.length === 2 && delivery.state === 'delivered');
    expect(delivery.attempts[1]).toMatchObject({ attempt: 2, reason: 'redeliver', status_code: 200 });
    expect(receiver.answers.map((a) => [a.webhookId, a.outcome])).toEqual([
      [delivery.webhook_id, 'handled'],
      [delivery.webhook_id, 'duplicate'],
    ]);
    expect(receiver.handled).toHaveLength(1);
  });

  it('redelivers as a fresh delivery with a new webhook-id and the same event, never another outcome', async () => {
    rig = await startRig();
    const { sandbox, receiver, appId } = rig;
    const { json } = await complete(sandbox, await newSession(sandbox, appId), { status: 'cancelled' });
    const original = sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => original.state === 'delivered');
    const res = await fetch(`${sandbox.url}/_sandbox/deliveries/${original.id}/redeliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ new_id: true }),
    });
    expect(res.status).toBe(202);
    const fresh = sandbox.store.deliveries.get((await res.json()).id)!;
    expect(fresh.id).not.toBe(original.id);
    expect(fresh.webhook_id).not.toBe(original.webhook_id);
    expect(fresh).toMatchObject({
      redelivery_of: original.id,
      session_id: original.session_id,
      event: original.event,
    });
    await waitFor(() => fresh.state === 'delivered');
    expect(fresh.attempts[0]!.request.body).toBe(original.attempts[0]!.request.body);
    expect(receiver.answers.map((a) => a.webhookId)).toEqual([original.webhook_id, fresh.webhook_id]);
    // Core dedupes a session's outcome, whatever the webhook-id.
    expect(receiver.answers[1]).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(receiver.handled).toHaveLength(1);
    expect(
      (await fetch(`${sandbox.url}/_sandbox/deliveries/dlv_nope/redeliver`, { method: 'POST' })).status,
    ).toBe(404);
  });
});
