/**
 * CONTRACT §4 "Rate limit" on real running sandboxes: `pasis sandbox --rate-limit 20` lets
 * about 20 of 200 simultaneous initiates through and answers the rest 429 `rate_limited`
 * with `Retry-After`; the dashboard and `GET /_sandbox/rate-limit` count the refusals.
 * Bands, not exact numbers: the machine is noisy.
 */
import { isPasisError } from '@pasis/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { assertBuilt, pasis, runSandbox } from './test-support/cli.js';
import { getJson, newSession, type Rig, sleep, startRig } from './test-support/flows.js';

const body = (appId: string) =>
  JSON.stringify({ items: [{ name: 'Airtime', Amount: 500 }], app_id: appId, email: 'c@mail.com' });

function initiate(base: string, appId: string): Promise<Response> {
  return fetch(`${base}/api/checkouts/initiate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(appId),
  });
}

describe('pasis sandbox --rate-limit 20', () => {
  beforeAll(assertBuilt);
  let sandbox: Awaited<ReturnType<typeof runSandbox>>;
  beforeAll(async () => {
    sandbox = await runSandbox(['--in-memory', '--app-id', 'app_rl', '--rate-limit', '20']);
  });
  afterAll(() => sandbox?.stop());

  it('lets about 20 of 200 initiates sent at once through; the rest get 429 with Retry-After', async () => {
    const url = sandbox.url!;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 200 }, () => initiate(url, 'app_rl')));
    const windows = 1 + Math.floor((Date.now() - started) / 1000);
    const ok = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.status === 429);
    expect(ok + refused.length).toBe(200);
    // At most 20 in any one second: exactly 20 when the burst fits in a second, and 20 per
    // started second of it when the machine is slow.
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThanOrEqual(20 * windows);
    for (const res of refused) {
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await res.json()).error.code).toBe('rate_limited');
    }
    const counted = await (await fetch(`${url}/_sandbox/rate-limit`)).json();
    expect(counted).toEqual({
      limit: 20,
      refused: refused.length,
      refused_by_app: { app_rl: refused.length },
    });
    const dashboard = await (await fetch(`${url}/`)).text();
    expect(dashboard).toContain(`<strong>${refused.length}</strong> refused (429)`);
    expect(dashboard).toContain(`rate limited: ${refused.length}`);
  });

  it('refuses a limit that is not a whole number of at least 1, in one line with exit 2', async () => {
    const run = await pasis(['sandbox', '--in-memory', '--port', '0', '--rate-limit', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(
      'pasis sandbox: --rate-limit must be a whole number of requests per second, at least 1, not "0"',
    );
  });
});

describe('createSandbox({ rateLimit })', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ rateLimit: 5 }, 'app_five');
    rig.sandbox.registerApp({
      name: 'Other',
      app_id: 'app_other',
      callback_url: 'http://127.0.0.1:9/w',
      return_url: 'http://127.0.0.1:9/r',
    });
  });
  afterAll(() => rig?.close());

  it('counts initiate and retrieve together, per app, and lets the app in again after Retry-After', async () => {
    const { sandbox } = rig;
    const started = Date.now();
    const sessionId = await newSession(sandbox, 'app_five');
    const statuses = await Promise.all([
      ...Array.from({ length: 6 }, () => initiate(sandbox.url, 'app_five').then((r) => r.status)),
      ...Array.from({ length: 6 }, () =>
        getJson(sandbox, `/api/checkouts/${sessionId}?app_id=app_five`).then((r) => r.status),
      ),
    ]);
    const windows = 1 + Math.floor((Date.now() - started) / 1000);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    // One budget for both routes: 5 per second in all (the session above included), where
    // separate budgets would have let 5 initiates and 5 retrieves through.
    expect(1 + statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5 * windows);
    // Another app has its own second; a made-up app_id is not counted (404, never 429).
    expect((await initiate(sandbox.url, 'app_other')).status).toBe(200);
    expect((await initiate(sandbox.url, 'app_made_up')).status).toBe(404);
    expect(Object.keys((await getJson(sandbox, '/_sandbox/rate-limit')).json.refused_by_app)).toEqual([
      'app_five',
    ]);
    // Retry-After later (polled, with a bound on the wait only), the app is let in again.
    let status = 429;
    for (const deadline = Date.now() + 10_000; status === 429 && Date.now() < deadline; ) {
      await sleep(200);
      status = (await initiate(sandbox.url, 'app_five')).status;
    }
    expect(status).toBe(200);
  });

  it('is off by default, and a bad value is a config_error', async () => {
    const open = createSandbox();
    await open.listen(0);
    open.registerApp({
      name: 'Free',
      app_id: 'app_free',
      callback_url: 'http://127.0.0.1:9/w',
      return_url: 'http://127.0.0.1:9/r',
    });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => initiate(open.url, 'app_free').then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect((await getJson(open, '/_sandbox/rate-limit')).json).toEqual({
      limit: null,
      refused: 0,
      refused_by_app: {},
    });
    await open.close();
    for (const rateLimit of [0, 1.5, -3]) {
      let error: unknown;
      try {
        createSandbox({ rateLimit });
      } catch (caught) {
        error = caught;
      }
      expect(isPasisError(error, 'config_error')).toBe(true);
      expect((error as Error).message).toMatch(/^@pasis\/sandbox: rateLimit must be a whole number/);
    }
  });
});
