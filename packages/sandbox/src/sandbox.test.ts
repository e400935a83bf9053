import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, each test asserts what it needs
type Json = Record<string, any>;

const sandbox = createSandbox({ retrySchedule: [] });
let url: string;
const secret = generateWebhookSecret();
const shop = 'http://127.0.0.1:9/'; // nothing listens: deliveries fail, which these tests do not look at

beforeAll(async () => {
  url = await sandbox.listen(0, '127.0.0.1');
  sandbox.registerApp({
    name: 'Verified shop',
    app_id: 'app_verified',
    webhook_secret: secret,
    verified: true,
    callback_url: `${shop}webhook`,
    return_url: `${shop}return`,
  });
  sandbox.registerApp({
    name: 'New shop',
    app_id: 'app_new',
    callback_url: `${shop}webhook`,
    return_url: `${shop}return?from=pasis`,
    approved_numbers: ['0788123456', '0780000002'],
  });
});
afterAll(() => sandbox.close());

const validBody = (over: Record<string, unknown> = {}) => ({
  items: [{ name: 'Money Transfer', Amount: 5000 }],
  app_id: 'app_verified',
  email: 'customer@mail.com',
  ...over,
});

async function initiate(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/checkouts/initiate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function complete(id: string, body: unknown) {
  const res = await fetch(`${url}/_sandbox/sessions/${id}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

async function pay(id: string, fields: Record<string, string>) {
  return fetch(`${url}/pay/${id}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

describe('POST /api/checkouts/initiate', () => {
  it('answers the documented shape, amount summed, payment_link on the sandbox', async () => {
    const { status, json } = await initiate(
      validBody({
        items: [
          { name: 'A', Amount: 5000 },
          { name: 'B', Amount: 1500 },
        ],
      }),
    );
    expect(status).toBe(200);
    expect(json).toEqual({
      session_id: expect.stringMatching(/^sess_/),
      amount: 6500,
      kind: 'session:created',
      payment_link: `${url}/pay/${json.session_id}`,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
  });

  it.each([
    ['no items', { items: [] }, ['items']],
    ['101 items', { items: Array.from({ length: 101 }, () => ({ name: 'x', Amount: 1 })) }, ['items']],
    ['an empty name', { items: [{ name: '', Amount: 1 }] }, ['items', 0, 'name']],
    ['a 201-character name', { items: [{ name: 'x'.repeat(201), Amount: 1 }] }, ['items', 0, 'name']],
    ['a lower-case amount only', { items: [{ name: 'x', amount: 1 }] }, ['items', 0, 'Amount']],
    ['a zero amount', { items: [{ name: 'x', Amount: 0 }] }, ['items', 0, 'Amount']],
    ['a fractional amount', { items: [{ name: 'x', Amount: 1.5 }] }, ['items', 0, 'Amount']],
    ['an amount as a string', { items: [{ name: 'x', Amount: '5000' }] }, ['items', 0, 'Amount']],
    ['a bad email', { email: 'not-an-email' }, ['email']],
    ['no app_id', { app_id: '' }, ['app_id']],
  ])('refuses %s with 400 invalid_request and its issue', async (_, over, path) => {
    const { status, json } = await initiate(validBody(over));
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_request');
    expect(json.error.issues).toContainEqual(expect.objectContaining({ path }));
  });

  it('refuses a body that is not JSON', async () => {
    const { status, json } = await initiate('{"items": [');
    expect(status).toBe(400);
    expect(json.error.code).toBe('invalid_request');
  });

  it('answers 404 unknown_app for an app it does not know', async () => {
    const { status, json } = await initiate(validBody({ app_id: 'nope' }));
    expect(status).toBe(404);
    expect(json.error.code).toBe('unknown_app');
  });

  it('honours Idempotency-Key: same body → same session, different body → 409', async () => {
    const first = await initiate(validBody(), { 'idempotency-key': 'k-1' });
    const again = await initiate(validBody(), { 'idempotency-key': 'k-1' });
    expect(again.json).toEqual(first.json);
    const other = await initiate(validBody({ email: 'other@mail.com' }), { 'idempotency-key': 'k-1' });
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('idempotency_key_reused');
    const fresh = await initiate(validBody());
    expect(fresh.json.session_id).not.toBe(first.json.session_id);
  });
});

describe('the hosted page', () => {
  it('renders merchant, items, the RWF total, a phone field, Pay and Cancel', async () => {
    const { json } = await initiate(validBody({ items: [{ name: 'Airtime <bundle>', Amount: 12500 }] }));
    const res = await fetch(json.payment_link);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('Verified shop');
    expect(html).toContain('Airtime &lt;bundle&gt;');
    expect(html).toMatch(/RWF\s?12,500/);
    expect(html).toContain('name="phone"');
    expect(html).toMatch(/<button[^>]*value="pay"/);
    expect(html).toMatch(/<button[^>]*value="cancel"/);
    expect(html).toContain('lang="en"');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="http/);
  });

  it('pays with the approving number: 303 to the return URL with session_id and status', async () => {
    const { json } = await initiate(validBody({ app_id: 'app_new' }));
    const res = await pay(json.session_id, { phone: '0788 123 456', action: 'pay' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${shop}return`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: 'pasis',
      session_id: json.session_id,
      status: 'success',
    });
  });

  it('declines 0780000002: the session ends cancelled', async () => {
    const { json } = await initiate(validBody({ app_id: 'app_new' }));
    const res = await pay(json.session_id, { phone: '0780000002', action: 'pay' });
    expect(new URL(res.headers.get('location')!).searchParams.get('status')).toBe('cancelled');
  });

  it('shows "Phone number not found" with the hint for a number an unverified app has not approved', async () => {
    const { json } = await initiate(validBody({ app_id: 'app_new' }));
    const res = await pay(json.session_id, { phone: '0780000001', action: 'pay' });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(html).toContain('Phone number not found');
    expect(html).toContain('Approved Numbers');
    const session = await (await fetch(`${url}/_sandbox/sessions/${json.session_id}`)).json();
    expect(session.status).toBe('open');
  });

  it('accepts any number for a verified app, and Cancel ends the session cancelled', async () => {
    const { json } = await initiate(validBody());
    expect((await pay(json.session_id, { phone: '0722222222', action: 'pay' })).status).toBe(303);
    const other = await initiate(validBody());
    const cancelled = await pay(other.json.session_id, { phone: '', action: 'cancel' });
    expect(new URL(cancelled.headers.get('location')!).searchParams.get('status')).toBe('cancelled');
  });

  it('refuses to take a finished session again', async () => {
    const { json } = await initiate(validBody());
    await pay(json.session_id, { phone: '0780000001', action: 'pay' });
    const again = await pay(json.session_id, { phone: '0780000001', action: 'pay' });
    expect(again.status).toBe(409);
    expect(await (await fetch(json.payment_link)).text()).toContain('cannot be paid again');
  });

  it('answers 404 for an unknown session', async () => {
    expect((await fetch(`${url}/pay/sess_unknown`)).status).toBe(404);
  });

  it('offers the webhook behaviour as a control marked sandbox-only, and applies the choice', async () => {
    const { json } = await initiate(validBody());
    const html = await (await fetch(json.payment_link)).text();
    expect(html).toMatch(
      /<fieldset class="sandbox-only"[^>]*><legend><span class="tag">Sandbox only<\/span> Webhook behaviour/,
    );
    for (const behaviour of ['deliver', 'lose', 'duplicate', 'delay']) {
      expect(html).toMatch(new RegExp(`<input type="radio" name="webhook" value="${behaviour}"`));
    }
    expect(html).toContain('value="deliver" checked');
    expect(html).toContain('<label for="delay_ms"');
    const res = await pay(json.session_id, {
      phone: '0780000001',
      action: 'pay',
      webhook: 'delay',
      delay_ms: '3600000',
    });
    expect(res.status).toBe(303);
    const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === json.session_id);
    expect(delivery).toMatchObject({
      behaviour: 'delay',
      delay_ms: 3_600_000,
      state: 'pending',
      attempts: [],
    });
    const other = await initiate(validBody());
    const lost = await pay(other.json.session_id, { action: 'cancel', webhook: 'lose', delay_ms: '30000' });
    expect(new URL(lost.headers.get('location')!).searchParams.get('status')).toBe('cancelled');
    expect(
      [...sandbox.store.deliveries.values()].find((d) => d.session_id === other.json.session_id),
    ).toMatchObject({
      behaviour: 'lose',
      state: 'lost',
    });
    const third = await initiate(validBody());
    const bad = await pay(third.json.session_id, {
      phone: '0780000001',
      action: 'pay',
      webhook: 'delay',
      delay_ms: 'soon',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('whole number of milliseconds');
  });
});

describe('the control API', () => {
  it('registers apps, generating an id and a secret, and refuses more than 3 approved numbers', async () => {
    const res = await fetch(`${url}/_sandbox/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'API shop', callback_url: `${shop}webhook`, return_url: `${shop}return` }),
    });
    expect(res.status).toBe(201);
    const app = await res.json();
    expect(app).toMatchObject({
      name: 'API shop',
      verified: false,
      approved_numbers: ['0780000001', '0780000002', '0780000003'],
    });
    expect(app.webhook_secret).toMatch(/^whsec_/);
    const tooMany = await fetch(`${url}/_sandbox/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'x',
        callback_url: `${shop}w`,
        return_url: `${shop}r`,
        approved_numbers: ['0781111111', '0782222222', '0783333333', '0784444444'],
      }),
    });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.code).toBe('invalid_request');
  });

  it('completes sessions as the customer, with the same rules', async () => {
    const open = await initiate(validBody({ app_id: 'app_new' }));
    const refused = await complete(open.json.session_id, { status: 'success', phone: '0780000001' });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe('phone_number_not_found');
    const done = await complete(open.json.session_id, { status: 'success', phone: '0788123456' });
    expect(done.json.status).toBe('success');
    expect((await complete(open.json.session_id, { status: 'cancelled' })).status).toBe(409);
    expect((await complete('sess_nope', { status: 'success' })).status).toBe(404);
    expect((await complete(open.json.session_id, { status: 'maybe' })).status).toBe(400);
  });

  it('lists sessions and deliveries, and the dashboard shows them', async () => {
    const { json } = await initiate(validBody());
    await complete(json.session_id, { status: 'success' });
    const sessions = await (await fetch(`${url}/_sandbox/sessions`)).json();
    expect(sessions.data.map((s: { session_id: string }) => s.session_id)).toContain(json.session_id);
    const deliveries = await (await fetch(`${url}/_sandbox/deliveries`)).json();
    expect(deliveries.data.some((d: { session_id: string }) => d.session_id === json.session_id)).toBe(true);
    const dashboard = await (await fetch(`${url}/`)).text();
    expect(dashboard).toContain(json.session_id);
    expect(dashboard).toContain('Redeliver');
    expect(dashboard).toContain(secret.slice(-4));
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await fetch(`${url}/_sandbox/nothing`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
