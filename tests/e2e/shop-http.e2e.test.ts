/**
 * The shops' HTTP layer is shop-kit's, so the three shops answer one request alike (real
 * ports, the sandbox, PGlite): the same `Accept` header gets JSON or a page from each (the
 * client's preference, as Express negotiates it), the same bad e-mail address the same 400
 * with the same message, and an unknown order the same error body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShopHarness, startShopHarness } from '../support/shop-harness.js';
import { SHOP_NAMES } from '../support/shops.js';

const SUITE = 'shop http';

/** Each `Accept` header, and whether a shop answers it with JSON. */
const ACCEPTS: [string | undefined, boolean][] = [
  ['application/json', true],
  ['text/html', false],
  [undefined, false],
  ['*/*', false],
  ['application/json, text/html', true],
  ['text/html, application/json;q=0.9', false],
  ['text/html;q=0.5, application/json', true],
  ['application/*', true],
  ['image/png', false],
];

describe.each(SHOP_NAMES)('the %s shop', (name) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await startShopHarness(name, 'pglite', { suite: SUITE });
  });
  afterAll(() => h?.close());

  it.each(ACCEPTS)('answers Accept: %s with JSON (%s) or a page', async (accept, json) => {
    const res = await fetch(`${h.shop.url}/orders/no-such-order`, {
      headers: accept === undefined ? {} : { accept },
    });
    expect(res.status).toBe(404);
    const text = await res.text();
    if (json) {
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(JSON.parse(text)).toEqual({ error: { code: 'not_found', message: 'No such order.' } });
    } else {
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(text).toContain('No such order.');
    }
  });

  it.each([
    ['no e-mail', {}],
    ['not an e-mail', { email: 'nobody' }],
    ['an e-mail longer than 254 characters', { email: `${'a'.repeat(250)}@example.rw` }],
  ])('refuses %s with one 400 and one message', async (_label, body) => {
    const res = await fetch(`${h.shop.url}/checkout`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'invalid_input', message: 'Enter a valid email address.' },
    });
  });
});
