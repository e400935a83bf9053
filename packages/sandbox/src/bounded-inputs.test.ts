/**
 * What the sandbox takes from outside, on a real running sandbox: a form's `return_to` never
 * leads off the sandbox, a malformed `%` escape is a 400 (not a 500 and an error line),
 * names, URLs and keys have lengths, and a session's total stays a safe integer that every
 * receiver accepts as an event's `amount`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { complete, newSession } from './test-support/flows.js';
import { raw } from './test-support/raw.js';

const errors: string[] = [];
const sandbox = createSandbox({
  retrySchedule: [],
  logger: { info() {}, warn() {}, error: (line) => errors.push(line) },
});
let formAction: string;

beforeAll(async () => {
  await sandbox.listen(0);
  sandbox.registerApp({
    name: 'Shop',
    app_id: 'app_in',
    verified: true,
    callback_url: 'http://127.0.0.1:9/webhook',
    return_url: 'http://127.0.0.1:9/return',
  });
  const done = await complete(sandbox, await newSession(sandbox, 'app_in'), { status: 'success' });
  // Wherever the dashboard's Redeliver button posts its return_to, that is what is tested.
  const dashboard = await (await fetch(`${sandbox.url}/`)).text();
  formAction = new RegExp(
    `action="([^"]*${done.json.delivery_id}[^"]*)"><input type="hidden" name="return_to"`,
  ).exec(dashboard)![1]!;
});
afterAll(() => sandbox.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe("the redeliver form's return_to", () => {
  const back = (returnTo: string) =>
    fetch(`${sandbox.url}${formAction}`, {
      method: 'POST',
      body: new URLSearchParams({ return_to: returnTo }),
      redirect: 'manual',
    });

  it.each([
    ['/\t/evil.example/'],
    ['/\n/evil.example/'],
    ['/\r\n/evil.example/'],
    ['//evil.example/'],
    ['/\\evil.example/'],
    ['\\\\evil.example/'],
    ['https://evil.example/'],
    ['http://127.0.0.1:1/'],
    ['javascript:alert(1)'],
    ['http://SELF//evil.example/'],
    [' //evil.example/'],
  ])('keeps %j on the sandbox', async (trick) => {
    const res = await back(trick.replace('SELF', new URL(sandbox.url).host));
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/(?![/\\])/);
    expect(new URL(location, sandbox.url).origin).toBe(sandbox.url);
  });

  it('keeps a path of the sandbox, with its query', async () => {
    const res = await back('/?session_id=sess_1&state=failed');
    expect(res.headers.get('location')).toBe('/?session_id=sess_1&state=failed');
  });
});

describe('a malformed % escape', () => {
  it.each([['/pay/%zz'], ['/_sandbox/sessions/%E0%A4%A'], ['/deliveries/%'], ['/api/checkouts/%zz']])(
    '%s is a 400 with the error body, and no error line',
    async (path) => {
      const answer = await raw(sandbox.url, path);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toEqual({
        code: 'invalid_request',
        message: expect.stringContaining('%'),
      });
      expect(errors).toEqual([]);
    },
  );
});

describe('bounded inputs', () => {
  const item = (Amount: number) => ({ name: 'Money Transfer', Amount });

  it("refuses items whose total is not a safe integer (an event's amount must be)", async () => {
    const res = await post('/api/checkouts/initiate', {
      items: Array.from({ length: 100 }, () => item(Number.MAX_SAFE_INTEGER)),
      app_id: 'app_in',
      email: 'c@mail.com',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: 'invalid_request',
      issues: [{ path: ['items'], message: 'the total amount must be a safe integer' }],
    });
    const edge = await post('/api/checkouts/initiate', {
      items: [item(Number.MAX_SAFE_INTEGER - 1), item(1)],
      app_id: 'app_in',
      email: 'c@mail.com',
    });
    expect(edge.status).toBe(200);
    expect((await edge.json()).amount).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses an email, app_id or Idempotency-Key past its length', async () => {
    const body = { items: [item(1)], app_id: 'app_in', email: `${'a'.repeat(250)}@mail.com` };
    expect((await post('/api/checkouts/initiate', body)).status).toBe(400);
    expect(
      (await post('/api/checkouts/initiate', { ...body, email: 'c@mail.com', app_id: 'a'.repeat(101) }))
        .status,
    ).toBe(400);
    const keyed = await post(
      '/api/checkouts/initiate',
      { ...body, email: 'c@mail.com' },
      { 'idempotency-key': 'k'.repeat(256) },
    );
    expect(keyed.status).toBe(400);
    expect(sandbox.store.idempotency.size).toBe(0);
  });

  it('refuses app names and URLs past their lengths', async () => {
    const app = {
      name: 'Shop',
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
    };
    const long = `http://127.0.0.1:9/${'x'.repeat(2100)}`;
    for (const over of [{ callback_url: long }, { return_url: long }, { name: 'n'.repeat(201) }]) {
      const res = await post('/_sandbox/apps', { ...app, ...over, app_id: 'app_long' });
      expect(res.status, Object.keys(over)[0]).toBe(400);
    }
    expect(sandbox.store.apps.has('app_long')).toBe(false);
    expect((await post('/_sandbox/apps', { ...app, callback_url: long.slice(0, 2048) })).status).toBe(201);
  });
});
