/**
 * CONTRACT §5's hardening, on each of the three shops (in-process, real ports, the sandbox,
 * PGlite): bad input gets 400, 413 or 415 with the shop's error body, never a 500, and no
 * log line of the shop (its own logger, Fastify's pino, Nest's logger, all captured) holds
 * the customer's e-mail; and loading a pending order's return page over and over asks Pasis
 * at most once per RETURN_CHECK_INTERVAL_MS, counted at a proxy in front of the sandbox.
 */
import { SHOP_HEADERS_TIMEOUT_MS, SHOP_REQUEST_TIMEOUT_MS } from '@pasis/example-shop-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { type ShopHarness, startShopHarness } from '../support/shop-harness.js';
import { SHOP_NAMES } from '../support/shops.js';

const SUITE = 'shop hardening';
const EMAIL = 'leak.me+tracer@example.rw';

/** Each bad request: its headers and body, and the status CONTRACT §5 asks for. */
const BAD_INPUT = [
  ['malformed JSON', { 'content-type': 'application/json' }, `{"email":"${EMAIL}","product_id":`, 400],
  [
    'a JSON body over the limit',
    { 'content-type': 'application/json' },
    JSON.stringify({ email: EMAIL, note: 'x'.repeat(20 * 1024) }),
    413,
  ],
  [
    'a form body over the limit',
    { 'content-type': 'application/x-www-form-urlencoded' },
    `email=${encodeURIComponent(EMAIL)}&note=${'x'.repeat(20 * 1024)}`,
    413,
  ],
  [
    'an unknown charset',
    { 'content-type': 'application/json; charset=x-unknown-7' },
    JSON.stringify({ email: EMAIL }),
    415,
  ],
  [
    'a charset the shop does not read (latin1)',
    { 'content-type': 'application/x-www-form-urlencoded; charset=latin1' },
    `email=${encodeURIComponent(EMAIL)}`,
    415,
  ],
  ['an unsupported content type', { 'content-type': 'text/plain' }, `email=${EMAIL}`, 415],
  ['a body without a content type', {}, JSON.stringify({ email: EMAIL }), 415],
  [
    'an unknown product',
    { 'content-type': 'application/json' },
    JSON.stringify({ email: EMAIL, product_id: 'no-such-product' }),
    400,
  ],
] as const;

describe.each(SHOP_NAMES)('the %s shop, hardened', (name) => {
  let h: ShopHarness;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    h = await startShopHarness(name, 'pglite', { suite: SUITE, logs, countRetrieves: true });
  });
  afterAll(() => h?.close());

  it.each(BAD_INPUT)('answers %s with its 4xx and the error body', async (_label, headers, body, status) => {
    const before = logs.lines.length;
    for (const accept of ['application/json', 'text/html']) {
      const res = await fetch(`${h.shop.url}/checkout`, {
        method: 'POST',
        headers: { ...headers, accept },
        body,
      });
      const text = await res.text();
      expect([accept, res.status]).toEqual([accept, status]);
      expect(text).not.toContain(EMAIL);
      if (accept === 'application/json') {
        expect(JSON.parse(text)).toEqual({
          error: { code: expect.any(String), message: expect.any(String) },
        });
      } else {
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(text).toMatch(/role="alert"/);
      }
    }
    // What the shop logged about these requests, through every logger it has.
    const logged = logs.lines.slice(before).join('\n');
    expect(logged).not.toContain(EMAIL);
    expect(logged).not.toContain(encodeURIComponent(EMAIL));
  });

  it('a good checkout still works after all that, and logs no e-mail either', async () => {
    const before = logs.lines.length;
    const created = await h.order({ email: EMAIL });
    expect(created.payment_link).toMatch(/\/pay\/sess_/);
    expect(logs.lines.slice(before).join('\n')).not.toContain(EMAIL);
  });

  it("bounds a request's headers and its whole (Node's defaults: 60 s, 5 min; Fastify's: none)", () => {
    expect(h.shop.server.headersTimeout).toBe(SHOP_HEADERS_TIMEOUT_MS);
    expect(h.shop.server.requestTimeout).toBe(SHOP_REQUEST_TIMEOUT_MS);
  });

  it('asks Pasis about a pending order at most once per RETURN_CHECK_INTERVAL_MS (5 s), however often its return page loads', async () => {
    const created = await h.order();
    const started = performance.now();
    for (let round = 0; round < 10; round++) {
      const pages = await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(`${h.shop.url}/return?session_id=${created.session_id}`).then((res) => res.text()),
        ),
      );
      for (const page of pages) expect(page).toContain('data-testid="order-status">pending<');
    }
    const windows = Math.ceil((performance.now() - started) / 5_000);
    expect(h.proxy?.retrieves(created.session_id)).toBeGreaterThanOrEqual(1);
    expect(h.proxy?.retrieves(created.session_id)).toBeLessThanOrEqual(windows);
  });
});
