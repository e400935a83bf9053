/**
 * What the sandbox records and shows for each attempt (request, answer, error), the
 * delivery inspector page, the dashboard's filters and live events, and §1b.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { verifyWebhook } from '@pasis/core';
import { afterEach, describe, expect, it } from 'vitest';
import { complete, getJson, newSession, type Rig, startRig } from './test-support/flows.js';
import { reservePort, waitFor } from './test-support/receiver.js';

let rig: Rig | undefined;
const servers: { close(): unknown; closeAllConnections(): void }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  await rig?.close();
  rig = undefined;
});

async function shop(answer: (res: import('node:http').ServerResponse) => void): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    answer(res);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
}

async function deliverTo(callbackUrl: string, appId: string) {
  rig ??= await startRig();
  rig.sandbox.registerApp({
    name: 'Inspected <shop>',
    app_id: appId,
    webhook_secret: rig.secret,
    verified: true,
    callback_url: callbackUrl,
    return_url: 'http://127.0.0.1:9/r',
  });
  const sessionId = await newSession(rig.sandbox, appId);
  const { json } = await complete(rig.sandbox, sessionId, { status: 'success' });
  const delivery = rig.sandbox.store.deliveries.get(json.delivery_id)!;
  await waitFor(() => delivery.state !== 'pending', 10_000);
  return { delivery, sessionId };
}

describe('each attempt records', () => {
  it('the request (signed headers that verify over the body) and the answer: status, headers, body, duration', async () => {
    const url = await shop((res) => res.writeHead(201, { 'x-shop': 'kigali' }).end('{"ok":true}'));
    const { delivery } = await deliverTo(url, 'app_rec');
    const [attempt] = delivery.attempts;
    expect(attempt).toMatchObject({
      attempt: 1,
      reason: 'first',
      status_code: 201,
      response: {
        body: '{"ok":true}',
        body_truncated: false,
        headers: expect.objectContaining({ 'x-shop': 'kigali' }),
      },
      duration_ms: expect.any(Number),
    });
    expect(attempt!.request.headers['webhook-id']).toBe(delivery.webhook_id);
    expect(
      verifyWebhook({ body: attempt!.request.body, headers: attempt!.request.headers, secret: rig!.secret }),
    ).toEqual(delivery.event);
    const { json } = await getJson(rig!.sandbox, `/_sandbox/deliveries/${delivery.id}`);
    expect(json).toEqual(JSON.parse(JSON.stringify(delivery)));
  });

  it('only the first 4 KiB of a long answer, marked truncated', async () => {
    const url = await shop((res) => res.writeHead(500).end('é'.repeat(20_000)));
    const { delivery } = await deliverTo(url, 'app_long');
    const response = delivery.attempts[0]!.response!;
    expect(response.body_truncated).toBe(true);
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(4096);
    expect(response.body.startsWith('éé')).toBe(true);
    expect(delivery.state).toBe('failed');
  });

  it('the network error when nothing answers', async () => {
    const { delivery } = await deliverTo(`http://127.0.0.1:${await reservePort()}/`, 'app_down');
    expect(delivery.attempts[0]).toMatchObject({ error: 'ECONNREFUSED' });
    expect(delivery.attempts[0]!.status_code).toBeUndefined();
    expect(delivery.attempts[0]!.response).toBeUndefined();
  });
});

describe('the inspector page /deliveries/:id', () => {
  it('shows both sides of every attempt, escaping what the receiver sent', async () => {
    const url = await shop((res) =>
      res
        .writeHead(400, { 'x-evil': '"><img src=x onerror=alert(1)>' })
        .end('<script>alert("shop")</script>'),
    );
    const { delivery } = await deliverTo(url, 'app_xss');
    const html = await (await fetch(`${rig!.sandbox.url}/deliveries/${delivery.id}`)).text();
    expect(html).toContain(delivery.webhook_id);
    expect(html).toContain('webhook-signature');
    expect(html).toContain(delivery.attempts[0]!.request.headers['webhook-signature']!);
    expect(html).toContain('&lt;script&gt;alert(&quot;shop&quot;)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Inspected &lt;shop&gt;');
    expect(html).toMatch(/Attempt #1 <span class="muted">\(first\)<\/span>: answered <strong>400<\/strong>/);
    expect((await fetch(`${rig!.sandbox.url}/deliveries/dlv_unknown`)).status).toBe(404);
  });

  it('is linked from the dashboard, whose redeliver buttons come back to the page they were on', async () => {
    const { delivery, sessionId } = await deliverTo(
      await shop((res) => res.writeHead(200).end()),
      'app_links',
    );
    const { url } = rig!.sandbox;
    const dashboard = await (await fetch(`${url}/?session_id=${sessionId}`)).text();
    expect(dashboard).toContain(`href="/deliveries/${delivery.id}"`);
    expect(dashboard).toContain(`action="/deliveries/${delivery.id}/redeliver"`);
    const back = await fetch(`${url}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      body: new URLSearchParams({ return_to: `/?session_id=${sessionId}` }),
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toBe(`/?session_id=${sessionId}`);
    const offsite = await fetch(`${url}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      body: new URLSearchParams({ return_to: '//evil.example/' }),
      redirect: 'manual',
    });
    expect(offsite.headers.get('location')).toBe('/');
    const fresh = await fetch(`${url}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      body: new URLSearchParams({ new_id: 'true' }),
      redirect: 'manual',
    });
    expect(fresh.headers.get('location')).toMatch(/^\/deliveries\/dlv_/);
    expect(fresh.headers.get('location')).not.toBe(`/deliveries/${delivery.id}`);
  });
});

describe('the dashboard and the list routes', () => {
  it('filter by app, session, status and state; deep links keep the filters; bad values are 400', async () => {
    rig = await startRig();
    const { sandbox, appId } = rig;
    sandbox.registerApp({
      name: 'Other',
      app_id: 'app_b',
      callback_url: 'http://127.0.0.1:9/w',
      return_url: 'http://127.0.0.1:9/r',
      verified: true,
    });
    const open = await newSession(sandbox, appId);
    const lost = await newSession(sandbox, appId);
    const other = await newSession(sandbox, 'app_b');
    await complete(sandbox, lost, { status: 'cancelled', webhook: 'lose' });
    const ids = (rows: { session_id: string }[]) => rows.map((r) => r.session_id).sort();
    expect(ids((await getJson(sandbox, `/_sandbox/sessions?app_id=${appId}`)).json.data)).toEqual(
      [open, lost].sort(),
    );
    expect(ids((await getJson(sandbox, '/_sandbox/sessions?status=open')).json.data)).toEqual(
      [open, other].sort(),
    );
    expect(ids((await getJson(sandbox, '/_sandbox/deliveries?state=lost')).json.data)).toEqual([lost]);
    expect((await getJson(sandbox, '/_sandbox/deliveries?state=delivered')).json.data).toEqual([]);
    expect((await getJson(sandbox, '/_sandbox/deliveries?state=nope')).status).toBe(400);
    const page = await (await fetch(`${sandbox.url}/?app_id=app_b&status=open`)).text();
    expect(page).toContain(other);
    expect(page).not.toContain(open);
    expect(page).toContain('<option value="app_b" selected>');
    expect(page).toMatch(/<label for="f-state">Delivery state<\/label>/);
    expect((await fetch(`${sandbox.url}/?status=maybe`)).status).toBe(400);
  });

  it('stream a change event for each change, for the live dashboard', async () => {
    rig = await startRig();
    const { sandbox, appId } = rig;
    const controller = new AbortController();
    const res = await fetch(`${sandbox.url}/_sandbox/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const sessionId = await newSession(sandbox, appId);
    const deadline = Date.now() + 5000;
    while (!text.includes(sessionId) && Date.now() < deadline) text += (await reader.read()).value ?? '';
    controller.abort();
    expect(text).toContain('event: ready');
    expect(text).toContain(`event: change\ndata: {"type":"session","id":"${sessionId}"}`);
    const script = await fetch(`${sandbox.url}/assets/live.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain("new EventSource('/_sandbox/events')");
  });
});

describe('GET /api/checkouts/:session_id (CONTRACT §1b)', () => {
  it('answers the session of that app, with completed_at once it is not open', async () => {
    rig = await startRig();
    const { sandbox, appId } = rig;
    const id = await newSession(sandbox, appId, 4321);
    const openNow = await getJson(sandbox, `/api/checkouts/${id}?app_id=${appId}`);
    expect(openNow).toEqual({
      status: 200,
      json: {
        session_id: id,
        amount: 4321,
        status: 'open',
        payment_link: `${sandbox.url}/pay/${id}`,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    });
    await complete(sandbox, id, { status: 'cancelled' });
    const ended = await getJson(sandbox, `/api/checkouts/${id}?app_id=${appId}`);
    expect(ended.json).toMatchObject({ status: 'cancelled', completed_at: expect.stringMatching(/Z$/) });
  });

  it.each([
    ['an unknown session', (_id: string) => '/api/checkouts/sess_nope?app_id=app_rig'],
    ['another app’s session', (id: string) => `/api/checkouts/${id}?app_id=app_someone_else`],
    ['no app_id', (id: string) => `/api/checkouts/${id}`],
  ])('is 404 unknown_session for %s', async (_, path) => {
    rig = await startRig();
    const id = await newSession(rig.sandbox, rig.appId);
    const { status, json } = await getJson(rig.sandbox, path(id));
    expect(status).toBe(404);
    expect(json.error).toMatchObject({ code: 'unknown_session', message: expect.any(String) });
  });
});

describe('the logger', () => {
  it('gets a line per request and per attempt, never the secret, and not the live refreshes', async () => {
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);
    rig = await startRig({ logger: { info: log, warn: log, error: log } });
    const { sandbox, appId, secret, receiver } = rig;
    const { json } = await complete(sandbox, await newSession(sandbox, appId), { status: 'success' });
    await waitFor(
      () =>
        receiver.handled.length === 1 &&
        sandbox.store.deliveries.get(json.delivery_id)!.state === 'delivered',
    );
    await fetch(`${sandbox.url}/`, { headers: { 'x-pasis-live': '1' } });
    await fetch(`${sandbox.url}/assets/live.js`);
    await fetch(`${sandbox.url}/?state=failed`);
    await waitFor(() => lines.some((l) => l.startsWith('GET /?state=failed')));
    expect(lines.some((l) => l.startsWith('POST /api/checkouts/initiate → 200'))).toBe(true);
    expect(lines.some((l) => l.includes('attempt 1 (first)') && l.includes(': 200 ('))).toBe(true);
    expect(lines.filter((l) => l.startsWith('GET / ') || l.startsWith('GET /assets'))).toEqual([]);
    const key = secret.slice('whsec_'.length);
    expect(
      lines.filter((l) => l.includes(key) || l.includes('webhook-signature') || l.includes('c@mail.com')),
    ).toEqual([]);
  });
});
