/**
 * Registering apps (CONTRACT §4) without traps, over HTTP against a real sandbox with a real
 * receiver: an app registered without approved numbers can pay with the test numbers, and an
 * app registered again keeps the secret its shop is configured with.
 */
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, DEFAULT_APPROVED_NUMBERS } from './index.js';
import { complete, type Json, newSession } from './test-support/flows.js';
import { type Receiver, startReceiver, waitFor } from './test-support/receiver.js';

const sandbox = createSandbox({ retrySchedule: [] });
const secret = generateWebhookSecret();
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver(secret);
  await sandbox.listen(0);
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

async function register(body: Record<string, unknown>): Promise<Json> {
  const res = await fetch(`${sandbox.url}/_sandbox/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ callback_url: receiver.url, return_url: 'http://127.0.0.1:9/return', ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Json;
}

/** A new session of `appId`, paid from `phone`: the session's status, or the error code. */
async function payFrom(appId: string, phone: string): Promise<string> {
  const { status, json } = await complete(sandbox, await newSession(sandbox, appId), {
    status: 'success',
    phone,
  });
  if (status === 202) return 'awaiting approval';
  return status === 200 ? json.status : json.error.code;
}

describe('POST /_sandbox/apps without approved_numbers', () => {
  it('approves the three test numbers, each behaving as the pay page says', async () => {
    const app = await register({ name: 'Plain shop', app_id: 'app_plain' });
    expect(app).toMatchObject({
      verified: false,
      approved_numbers: ['0780000001', '0780000002', '0780000003'],
    });
    expect(DEFAULT_APPROVED_NUMBERS).toEqual(app.approved_numbers);
    expect(await payFrom('app_plain', '0780000001')).toBe('success');
    expect(await payFrom('app_plain', '0780000002')).toBe('cancelled');
    expect(await payFrom('app_plain', '+250 780 000 003')).toBe('awaiting approval'); // never answers
    expect(await payFrom('app_plain', '0788123456')).toBe('phone_number_not_found');
    const page = await fetch(`${sandbox.url}/pay/${await newSession(sandbox, 'app_plain')}`);
    expect(await page.text()).toContain(
      'Test numbers: 0780000001 approves, 0780000002 declines, 0780000003 never answers.',
    );
  });
});

describe('POST /_sandbox/apps for an app_id registered before', () => {
  it('keeps its secret, approved numbers and verification unless given: its webhooks still verify', async () => {
    const first = await register({
      name: 'Shop',
      app_id: 'app_again',
      webhook_secret: secret,
      approved_numbers: ['0781111111'],
    });
    const again = await register({ name: 'Shop, renamed', app_id: 'app_again' });
    expect(again).toEqual({ ...first, name: 'Shop, renamed' });

    const sessionId = await newSession(sandbox, 'app_again');
    const { json } = await complete(sandbox, sessionId, { status: 'success', phone: '0781111111' });
    const delivery = sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => delivery.state !== 'pending');
    expect(delivery.attempts.map((a) => a.status_code)).toEqual([200]);
    expect(receiver.handled).toContainEqual(expect.objectContaining({ session_id: sessionId }));
  });

  it('replaces what is given: secret, approved numbers, verified', async () => {
    await register({ name: 'Shop', app_id: 'app_changed', webhook_secret: secret });
    const other = generateWebhookSecret();
    const changed = await register({
      name: 'Shop',
      app_id: 'app_changed',
      webhook_secret: other,
      approved_numbers: ['0782222222'],
      verified: true,
    });
    expect(changed).toMatchObject({
      webhook_secret: other,
      approved_numbers: ['0782222222'],
      verified: true,
    });
    expect(await payFrom('app_changed', '0789999999')).toBe('success'); // verified: any number
  });
});

describe('createSandbox().registerApp', () => {
  it('follows the same rules', () => {
    const base = { name: 'In process', callback_url: receiver.url, return_url: 'http://127.0.0.1:9/r' };
    const app = sandbox.registerApp(base);
    expect(app.approved_numbers).toEqual([...DEFAULT_APPROVED_NUMBERS]);
    const again = sandbox.registerApp({ ...base, app_id: app.app_id, approved_numbers: ['0783333333'] });
    expect(again).toMatchObject({ webhook_secret: app.webhook_secret, approved_numbers: ['0783333333'] });
    expect(sandbox.registerApp({ ...base, app_id: app.app_id })).toEqual(again);
  });
});
