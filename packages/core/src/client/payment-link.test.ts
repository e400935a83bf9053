// The payment_link a shop sends its customer to, from a real local server: handed on
// normalised (the parsed URL's href), and refused when it holds a control character, which
// the URL parser would silently drop (a tab in the host sends the customer to another host)
// and which breaks a Location header (CR/LF).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PasisError } from '../errors.js';
import { checkoutErrorStatus } from './error-status.js';
import { params, rejection, testClient } from './test-support/client.js';
import { type FaultServer, faults, startFaultServer } from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => server.clear());

const create = () => testClient(server.baseUrl).client.checkout.sessions.create(params);
const retrieve = () => testClient(server.baseUrl).client.checkout.sessions.retrieve('sess_12345');

const UNSAFE = [
  ['a tab in the host', 'https://checkout.pasis.rw\t.evil.example/pay/sess_12345'],
  ['CR LF (a header split)', 'https://checkout.pasis.rw/pay/sess_12345\r\nSet-Cookie: a=b'],
  ['a bare LF', 'https://checkout.pasis.rw/pay/\nsess_12345'],
  ['NUL', 'https://checkout.pasis.rw/pay/sess_12345\u0000'],
  ['ESC', 'https://checkout.pasis.rw/\u001b[31mpay'],
  ['DEL', 'https://checkout.pasis.rw/pay/sess\u007f12345'],
] as const;

describe.each([
  ['create', create, faults.session],
  ['retrieve', retrieve, faults.retrieved],
] as const)('checkout.sessions.%s: payment_link', (_name, call, answer) => {
  it.each(UNSAFE)(
    'refuses one with %s: unsafe_payment_link, not retried, never quoted',
    async (_label, link) => {
      server.fallback = answer({ payment_link: link });
      const error = (await rejection(call())) as PasisError;
      expect(error).toMatchObject({ code: 'unsafe_payment_link', status: 200 });
      expect(error.message).not.toMatch(/evil|Set-Cookie|checkout\.pasis\.rw/);
      expect(checkoutErrorStatus(error)).toBe(502);
      expect(server.requests).toHaveLength(1);
    },
  );

  it.each([
    [
      'upper case scheme and host, default port',
      'HTTPS://Checkout.Pasis.RW:443/pay/sess_12345',
      'https://checkout.pasis.rw/pay/sess_12345',
    ],
    [
      'a space in the path',
      'https://checkout.pasis.rw/pay/sess 12345',
      'https://checkout.pasis.rw/pay/sess%2012345',
    ],
    [
      'dot segments',
      'https://checkout.pasis.rw/a/../pay/./sess_12345',
      'https://checkout.pasis.rw/pay/sess_12345',
    ],
    [
      'a space in the query, a trailing space',
      'https://checkout.pasis.rw/pay?session=sess 12345 ',
      'https://checkout.pasis.rw/pay?session=sess%2012345',
    ],
  ])('returns it normalised: %s', async (_label, link, href) => {
    server.fallback = answer({ payment_link: link });
    expect((await call()).payment_link).toBe(href);
  });
});
