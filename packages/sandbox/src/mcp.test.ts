/**
 * `pasis mcp` (CONTRACT §4, "For coding agents"): the built CLI in its own process, driven by
 * the SDK's own client over stdio (no model), against a real sandbox and a plain HTTP shop.
 */
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from './index.js';
import { assertBuilt } from './test-support/cli.js';
import { connectMcp, eventually, type McpSession, type Shop, startShop } from './test-support/mcp.js';

const READ = ['list_sessions', 'get_session', 'list_deliveries', 'get_delivery'];
const WRITE = ['create_session', 'complete_session', 'redeliver', 'trigger_event'];

beforeAll(assertBuilt);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const secret = generateWebhookSecret();

/** A sandbox that never retries, with one unverified app whose webhooks go to a shop answering 500. */
async function rig(): Promise<{ sandbox: Sandbox; shop: Shop }> {
  const shop = await startShop(500);
  cleanups.push(() => shop.close());
  const sandbox = createSandbox({ retrySchedule: [] });
  cleanups.push(() => sandbox.close());
  await sandbox.listen(0);
  sandbox.registerApp({
    name: 'MCP shop',
    app_id: 'app_mcp',
    webhook_secret: secret,
    callback_url: shop.url,
    return_url: 'http://127.0.0.1:9/return',
    approved_numbers: ['0780000001'],
  });
  return { sandbox, shop };
}

async function mcp(args: string[]): Promise<McpSession> {
  const session = await connectMcp(args);
  cleanups.push(() => session.close());
  return session;
}

describe('pasis mcp against a running sandbox', () => {
  it('is read-only by default: no write tool listed, and calling one is an error naming --allow-write', async () => {
    const { sandbox } = await rig();
    const session = await mcp(['--sandbox', sandbox.url]);
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(READ);
    for (const name of WRITE) {
      const answer = await session.call(name, { items: [{ name: 'A', Amount: 100 }], email: 'a@mail.com' });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('--allow-write');
    }
    expect(sandbox.store.sessions.size).toBe(0);
    expect((await session.call('list_sessions')).json).toEqual({ total: 0, data: [] });
    expect(session.errors).toEqual([]);
  });

  it('with --allow-write: creates a session, completes it, sees the delivery fail at the shop, redelivers, sees the 200', async () => {
    const { sandbox, shop } = await rig();
    const session = await mcp(['--sandbox', sandbox.url, '--allow-write']);
    expect((await session.client.listTools()).tools.map((t) => t.name)).toEqual([...READ, ...WRITE]);

    // The control API's own schemas judge the input.
    const bad = await session.call('create_session', {
      items: [{ name: 'A', Amount: -1 }],
      email: 'a@mail.com',
    });
    expect(bad).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^Invalid input for create_session: items\.0\.Amount/),
    });

    const created = await session.call('create_session', {
      items: [{ name: 'Money Transfer', Amount: 5000 }],
      email: 'customer@mail.com',
    });
    expect(created.json).toMatchObject({ app_id: 'app_mcp', amount: 5000, kind: 'session:created' });
    const sessionId = created.json.session_id as string;
    expect(created.json.payment_link).toBe(`${sandbox.url}/pay/${sessionId}`);

    const refused = await session.call('complete_session', {
      session_id: sessionId,
      status: 'success',
      delay_ms: 5,
    });
    expect(refused).toMatchObject({
      isError: true,
      text: expect.stringMatching(/^Invalid input for complete_session: delay_ms/),
    });
    const completed = await session.call('complete_session', {
      session_id: sessionId,
      status: 'success',
      phone: '0780000001',
    });
    expect(completed.json).toMatchObject({ session_id: sessionId, status: 'success' });
    const deliveryId = completed.json.delivery_id as string;

    const failed = await eventually(
      () => session.call('get_delivery', { delivery_id: deliveryId }),
      (answer) => answer.json.state === 'failed',
    );
    expect(failed.json).toMatchObject({ state: 'failed', attempts: [{ status_code: 500 }] });
    const listed = await session.call('list_deliveries', { session_id: sessionId });
    expect(listed.json.data).toEqual([
      expect.objectContaining({
        id: deliveryId,
        state: 'failed',
        last_attempt: expect.objectContaining({ status_code: 500 }),
      }),
    ]);
    expect((await session.call('get_session', { session_id: sessionId })).json.status).toBe('success');

    shop.status = 200;
    const redelivered = await session.call('redeliver', { delivery_id: deliveryId });
    expect(redelivered.json).toMatchObject({
      delivery_id: deliveryId,
      webhook_id: failed.json.webhook_id,
      answer: { reason: 'redeliver', status_code: 200, response_body: 'shop says 200' },
    });
    expect((await session.call('get_delivery', { delivery_id: deliveryId })).json.state).toBe('delivered');

    // Both attempts reached the shop as real, signed deliveries of one event.
    expect(shop.received.map((r) => r.headers['webhook-id'])).toEqual([
      failed.json.webhook_id,
      failed.json.webhook_id,
    ]);
    for (const { headers, body } of shop.received) {
      expect(verifyWebhook({ body, headers: headers as Record<string, string>, secret })).toMatchObject({
        session_id: sessionId,
        status: 'success',
      });
    }
    expect(session.errors).toEqual([]);
  });

  it("trigger_event sends a signed event to the app's callback URL, as pasis trigger does, and shows no secret", async () => {
    const { sandbox, shop } = await rig();
    shop.status = 200;
    const session = await mcp(['--sandbox', sandbox.url, '--allow-write']);
    const sent = await session.call('trigger_event', { amount: 4321, status: 'cancelled', duplicate: 2 });
    expect(sent.json).toMatchObject({
      to: shop.url,
      accepted: true,
      answers: [{ status: 200 }, { status: 200 }],
    });
    expect(shop.received).toHaveLength(2);
    const [first, second] = shop.received;
    expect(second!.headers['webhook-signature']).toBe(first!.headers['webhook-signature']);
    const event = verifyWebhook({
      body: first!.body,
      headers: first!.headers as Record<string, string>,
      secret,
    });
    expect(event).toMatchObject({ kind: 'session:processed', amount: 4321, status: 'cancelled' });
    expect(sent.json.webhook_id).toBe(first!.headers['webhook-id']);
    expect(sent.text).not.toContain(secret.slice('whsec_'.length));
    expect(sent.text).not.toContain(String(first!.headers['webhook-signature']).slice(3));
    expect(session.errors).toEqual([]);
  });
});
