/**
 * Paged lists, on a real running sandbox: the control API answers `limit` rows (default 50,
 * at most 200) newest first with `has_more` and `next_cursor`; the dashboard shows each
 * table's newest page with links to older ones, so 2,000 apps no longer make a page of
 * megabytes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from './index.js';
import { getJson, newSession } from './test-support/flows.js';

const sandbox = createSandbox({ retrySchedule: [] });
const app = (i: number) => ({
  name: `Shop ${i}`,
  app_id: `app_${String(i).padStart(4, '0')}`,
  callback_url: `http://127.0.0.1:9/webhook/${i}`,
  return_url: 'http://127.0.0.1:9/return',
});
const sessions: string[] = [];

beforeAll(async () => {
  await sandbox.listen(0);
  for (let i = 0; i < 2000; i++) sandbox.registerApp(app(i));
  for (let i = 0; i < 120; i++)
    sessions.push(await newSession(sandbox, i % 2 ? 'app_0001' : 'app_0000', 100 + i));
}, 60_000);
afterAll(() => sandbox.close());

describe('GET /_sandbox/sessions and /apps', () => {
  it('answers 50 newest first, then every page by its cursor, each row once', async () => {
    const seen: string[] = [];
    let path = '/_sandbox/sessions';
    for (let pages = 0; pages < 10; pages++) {
      const { status, json } = await getJson(sandbox, path);
      expect(status).toBe(200);
      expect(json.data.length).toBeLessThanOrEqual(50);
      seen.push(...json.data.map((s: { session_id: string }) => s.session_id));
      if (!json.has_more) {
        expect(json.next_cursor).toBeUndefined();
        break;
      }
      path = `/_sandbox/sessions?cursor=${json.next_cursor}`;
    }
    expect(seen).toEqual([...sessions].reverse());
  });

  it('takes a limit up to 200 and keeps filters across pages', async () => {
    const first = await getJson(sandbox, '/_sandbox/sessions?app_id=app_0001&limit=40');
    expect(first.json.data).toHaveLength(40);
    expect(first.json.has_more).toBe(true);
    const second = await getJson(
      sandbox,
      `/_sandbox/sessions?app_id=app_0001&limit=40&cursor=${first.json.next_cursor}`,
    );
    expect(second.json.data).toHaveLength(20);
    expect(second.json.has_more).toBe(false);
    const apps = await getJson(sandbox, '/_sandbox/apps?limit=200');
    expect(apps.json.data).toHaveLength(200);
    expect(apps.json.data[0].app_id).toBe('app_1999');
  });

  it.each([['limit=201'], ['limit=0'], ['limit=ten'], ['cursor=sess_unknown']])(
    'refuses %s with 400 invalid_request',
    async (query) => {
      const { status, json } = await getJson(sandbox, `/_sandbox/sessions?${query}`);
      expect(status).toBe(400);
      expect(json.error.code).toBe('invalid_request');
    },
  );
});

describe('the dashboard', () => {
  it('shows the newest page of each table with a link to older rows, in a page of kilobytes', async () => {
    const res = await fetch(`${sandbox.url}/`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(Buffer.byteLength(html)).toBeLessThan(300_000);
    expect(html).toContain('50 of 2000 apps, newest first');
    expect(html).toContain('50 of 120 sessions, newest first');
    expect(html).toContain('app_1999');
    expect(html).not.toContain('app_1949<');
    const older = /href="(\/\?apps_cursor=[^"]+)">Older apps/.exec(html)?.[1];
    expect(older).toBeDefined();
    const next = await (await fetch(`${sandbox.url}${older!.replaceAll('&amp;', '&')}`)).text();
    expect(next).toContain('app_1949<');
    expect(next).toContain('Newest apps');
    // The sessions table kept its own (newest) page.
    expect(next).toContain(sessions.at(-1));
  });
});
