import { once } from 'node:events';
import { createServer } from 'node:http';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './index.js';
import { type Receiver, reservePort, startReceiver, waitFor } from './test-support/receiver.js';

let sandbox: Sandbox | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  await sandbox?.close();
  receiver = sandbox = undefined;
});

async function paidSession(sb: Sandbox, appId: string) {
  const res = await fetch(`${sb.url}/api/checkouts/initiate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      items: [{ name: 'Money Transfer', Amount: 5000 }],
      app_id: appId,
      email: 'c@mail.com',
    }),
  });
  const { session_id } = (await res.json()) as { session_id: string };
  await fetch(`${sb.url}/_sandbox/sessions/${session_id}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'success', phone: '0780000001' }),
  });
  return session_id;
}

describe('webhook deliveries', () => {
  it('are signed with the app secret, verified by a receiver built on @pasis/core', async () => {
    const secret = generateWebhookSecret();
    receiver = await startReceiver(secret);
    sandbox = createSandbox({ retrySchedule: [20] });
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'S',
      app_id: 'app_1',
      webhook_secret: secret,
      verified: true,
      callback_url: receiver.url,
      return_url: 'http://127.0.0.1:9/r',
    });
    const sessionId = await paidSession(sandbox, 'app_1');
    await waitFor(() => receiver!.handled.length === 1);
    expect(receiver.handled[0]).toEqual({
      kind: 'session:processed',
      session_id: sessionId,
      amount: 5000,
      status: 'success',
    });
    expect(receiver.answers).toEqual([expect.objectContaining({ status: 200, outcome: 'handled' })]);
    const delivery = [...sandbox.store.deliveries.values()][0]!;
    await waitFor(() => delivery.state === 'delivered');
    expect(delivery.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200 })]);
  });

  it('arrive exactly once when the receiver is down first and up later, with the same webhook-id', async () => {
    const secret = generateWebhookSecret();
    const port = await reservePort();
    sandbox = createSandbox({ retrySchedule: [50, 100, 200, 400, 800] });
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'S',
      app_id: 'app_2',
      webhook_secret: secret,
      verified: true,
      callback_url: `http://127.0.0.1:${port}/webhook`,
      return_url: 'http://127.0.0.1:9/r',
    });
    await paidSession(sandbox, 'app_2');
    const delivery = [...sandbox.store.deliveries.values()][0]!;
    await waitFor(() => delivery.attempts.length >= 2); // refused at least twice
    expect(delivery.attempts.every((a) => a.error === 'ECONNREFUSED')).toBe(true);
    receiver = await startReceiver(secret, port);
    await waitFor(() => delivery.state === 'delivered', 8000);
    expect(receiver.handled).toHaveLength(1);
    expect(new Set(receiver.answers.map((a) => a.webhookId))).toEqual(new Set([delivery.webhook_id]));
  });

  it('are retried while the receiver answers non-2xx, then given up after the schedule', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls++;
      req.resume();
      res.writeHead(503).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    sandbox = createSandbox({ retrySchedule: [10, 20] });
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'S',
      app_id: 'app_3',
      verified: true,
      callback_url: `http://127.0.0.1:${port}/`,
      return_url: 'http://127.0.0.1:9/r',
    });
    await paidSession(sandbox, 'app_3');
    const delivery = [...sandbox.store.deliveries.values()][0]!;
    await waitFor(() => delivery.state === 'failed');
    expect(calls).toBe(3);
    expect(delivery.attempts.map((a) => a.status_code)).toEqual([503, 503, 503]);
    server.close();
  });

  it('Redeliver sends the same webhook-id, and the receiver answers it as a duplicate', async () => {
    const secret = generateWebhookSecret();
    receiver = await startReceiver(secret);
    sandbox = createSandbox({ retrySchedule: [] });
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'S',
      app_id: 'app_4',
      webhook_secret: secret,
      verified: true,
      callback_url: receiver.url,
      return_url: 'http://127.0.0.1:9/r',
    });
    await paidSession(sandbox, 'app_4');
    const delivery = [...sandbox.store.deliveries.values()][0]!;
    await waitFor(() => delivery.state === 'delivered');
    const res = await fetch(`${sandbox.url}/_sandbox/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
    });
    expect(res.status).toBe(202);
    await waitFor(() => receiver!.answers.length === 2);
    expect(receiver.answers[1]).toMatchObject({
      status: 200,
      outcome: 'duplicate',
      webhookId: delivery.webhook_id,
    });
    expect(receiver.handled).toHaveLength(1);
    const form = await fetch(`${sandbox.url}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      body: new URLSearchParams({}),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/');
    // The control API takes JSON only: the form has its own route.
    const formToApi = await fetch(`${sandbox.url}/_sandbox/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      body: new URLSearchParams({}),
    });
    expect(formToApi.status).toBe(415);
  });

  it('sign exactly like @pasis/core/testing (the sandbox cannot drift from the SDK)', async () => {
    const secret = generateWebhookSecret();
    let captured: { body: string; headers: Record<string, string> } | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      captured = { body: Buffer.concat(chunks).toString(), headers: req.headers as Record<string, string> };
      res.writeHead(204).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    sandbox = createSandbox();
    await sandbox.listen(0);
    sandbox.registerApp({
      name: 'S',
      app_id: 'app_5',
      webhook_secret: secret,
      verified: true,
      callback_url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
      return_url: 'http://127.0.0.1:9/r',
    });
    await paidSession(sandbox, 'app_5');
    await waitFor(() => captured !== undefined);
    const { body, headers } = captured!;
    const expected = signWebhook(body, {
      secret,
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
    });
    expect(headers['webhook-signature']).toBe(expected.headers['webhook-signature']);
    expect(verifyWebhook({ body, headers, secret })).toMatchObject({
      kind: 'session:processed',
      status: 'success',
    });
    server.close();
  });
});
