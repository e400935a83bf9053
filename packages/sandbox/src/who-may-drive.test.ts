/**
 * CONTRACT §4 "Who may drive it", on a real running sandbox: a foreign `Host` (DNS
 * rebinding) is 421 and reveals nothing; a state-changing request from another origin is
 * 403 and changes nothing; the control API takes JSON only (415). Clients that are not
 * browsers (curl, the CLI, a shop's server) keep working. (The browser's own view of it:
 * who-may-drive.browser.test.ts.)
 */
import { isPasisError } from '@pasis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { newSession } from './test-support/flows.js';
import { raw } from './test-support/raw.js';

const sandbox = createSandbox({ retrySchedule: [], allowedHosts: ['sandbox', 'shop.test:8443'] });
let port: number;
const appJson = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    name: 'Attacker',
    app_id: 'app_shop',
    callback_url: 'http://evil.example/hook',
    return_url: 'http://evil.example/return',
    verified: true,
    ...over,
  });

beforeAll(async () => {
  port = Number(new URL(await sandbox.listen(0, '127.0.0.1')).port);
  sandbox.registerApp({
    name: 'Shop',
    app_id: 'app_shop',
    callback_url: 'http://127.0.0.1:9/webhook',
    return_url: 'http://127.0.0.1:9/return',
  });
});
afterAll(() => sandbox.close());

const shopApp = () => sandbox.store.apps.get('app_shop')!;

describe('Host allow-list (DNS rebinding)', () => {
  it('answers 421 to a foreign Host, and reveals no app, secret or page', async () => {
    const { webhook_secret } = shopApp();
    for (const path of ['/_sandbox/apps', '/', '/_sandbox/sessions', '/_sandbox/events']) {
      const answer = await raw(sandbox.url, path, { headers: { host: `evil.example:${port}` } });
      expect(answer.status, path).toBe(421);
      expect(JSON.parse(answer.text).error.code).toBe('misdirected_request');
      expect(answer.text).not.toContain(webhook_secret);
      expect(answer.text).not.toContain('app_shop');
    }
  });

  it('changes nothing on a write with a foreign Host', async () => {
    const before = structuredClone(shopApp());
    const answer = await raw(sandbox.url, '/_sandbox/apps', {
      method: 'POST',
      headers: { host: `evil.example:${port}`, 'content-type': 'application/json' },
      body: appJson(),
    });
    expect(answer.status).toBe(421);
    expect(shopApp()).toEqual(before);
  });

  it.each([
    ['a loopback name with the port', () => `localhost:${port}`, 200],
    ['a loopback address with the port', () => `127.0.0.1:${port}`, 200],
    ['a .localhost name', () => `app.localhost:${port}`, 200],
    ['an allowed name, any port', () => 'sandbox:4010', 200],
    ['an allowed name with its port', () => 'shop.test:8443', 200],
    ['an allowed name on another port', () => 'shop.test:8444', 421],
    ['a loopback name on another port', () => `localhost:${port + 1}`, 421],
    ['a name ending in a loopback address', () => `127.0.0.1.evil.example:${port}`, 421],
    ['a name that only starts like localhost', () => `localhost.evil.example:${port}`, 421],
  ])('%s', async (_, host, status) => {
    const answer = await raw(sandbox.url, '/_sandbox/apps', { headers: { host: host() } });
    expect(answer.status).toBe(status);
  });

  it('takes allowedHosts as names, and says how to write one that is not', () => {
    let error: unknown;
    try {
      createSandbox({ allowedHosts: ['sandbox', 'http://x/'] });
    } catch (caught) {
      error = caught;
    }
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@pasis\/sandbox: allowedHosts: "http:\/\/x\/" is not a host; write a name/,
    );
  });

  it('refuses a request with no Host at all (Node answers 400 before the sandbox sees it)', async () => {
    const answer = await raw(sandbox.url, '/_sandbox/apps', { headers: { host: null } });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('app_shop');
  });
});

describe('Origin check on state-changing requests', () => {
  const register = (headers: Record<string, string>) =>
    raw(sandbox.url, '/_sandbox/apps', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: appJson({ app_id: 'app_probe', name: 'Probe' }),
    });

  it.each([
    ['another Origin', { origin: 'http://evil.example' }],
    ['Origin null (a sandboxed frame, a file:// page)', { origin: 'null' }],
    ['a sibling port on loopback', { origin: 'http://127.0.0.1:1' }],
    ['no Origin, Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['no Origin, Sec-Fetch-Site same-site (another local port)', { 'sec-fetch-site': 'same-site' }],
    ['no Origin, an old browser with a foreign Referer', { referer: 'http://evil.example/page' }],
  ])('refuses %s with 403 and changes nothing', async (_, headers) => {
    const answer = await register(headers);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toMatchObject({ code: 'cross_origin_request' });
    expect(sandbox.store.apps.has('app_probe')).toBe(false);
  });

  it.each([
    ['no Origin at all (curl, the CLI, a shop server)', {}],
    ['its own Origin', { origin: 'http://127.0.0.1:PORT' }],
    ['its own Origin by a loopback name', { origin: 'http://localhost:PORT' }],
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['its own Referer', { referer: 'http://127.0.0.1:PORT/' }],
  ])('accepts %s', async (_, headers) => {
    const withPort = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(port))]),
    );
    expect((await register(withPort)).status).toBe(201);
  });

  it('guards the pay page and initiate too; reads stay open', async () => {
    const sessionId = await newSession(sandbox, 'app_shop');
    const paid = await raw(sandbox.url, `/pay/${sessionId}`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'phone=0780000001&action=pay',
    });
    expect(paid.status).toBe(403);
    expect(sandbox.store.sessions.get(sessionId)!.status).toBe('open');
    const initiated = await raw(sandbox.url, '/api/checkouts/initiate', {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ name: 'x', Amount: 1 }], app_id: 'app_shop', email: 'a@b.rw' }),
    });
    expect(initiated.status).toBe(403);
    const read = await raw(sandbox.url, `/pay/${sessionId}`, { headers: { origin: 'http://evil.example' } });
    expect(read.status).toBe(200);
  });
});

describe('the control API takes JSON only', () => {
  it.each([
    ['text/plain (a form with enctype=text/plain)', 'text/plain', appJson({ app_id: 'app_415' })],
    ['a urlencoded form', 'application/x-www-form-urlencoded', 'name=x&app_id=app_415'],
    ['multipart', 'multipart/form-data; boundary=x', '--x--'],
    ['a body with no content-type', null, appJson({ app_id: 'app_415' })],
  ])('refuses %s with 415', async (_, type, body) => {
    const answer = await raw(sandbox.url, '/_sandbox/apps', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.text).error.code).toBe('unsupported_media_type');
    expect(sandbox.store.apps.has('app_415')).toBe(false);
  });

  it('accepts JSON (with a charset) and an empty POST', async () => {
    const answer = await raw(sandbox.url, '/_sandbox/apps', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: appJson({ app_id: 'app_json', name: 'Json' }),
    });
    expect(answer.status).toBe(201);
    const empty = await raw(sandbox.url, '/_sandbox/deliveries/dlv_none/redeliver', { method: 'POST' });
    expect(empty.status).toBe(404);
  });
});
