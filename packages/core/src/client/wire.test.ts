import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCheckoutSession, parseSession, parseWireError, sessionSchema, toWireBody } from './wire.js';

describe('toWireBody', () => {
  it('spells the body exactly as the provider does (Amount, app_id)', () => {
    const body = toWireBody('app_1', { items: [{ name: 'Money Transfer', amount: 5000 }], email: 'a@b.co' });
    expect(JSON.stringify(body)).toBe(
      '{"items":[{"name":"Money Transfer","Amount":5000}],"app_id":"app_1","email":"a@b.co"}',
    );
  });
});

describe('parseSession', () => {
  const base = {
    session_id: 'sess_1',
    amount: 5000,
    kind: 'session:created',
    payment_link: 'https://checkout.pasis.rw/pay/sess_1',
    created_at: '2025-09-11T09:00:00Z',
  };

  it('keeps unknown fields', () => {
    expect(parseSession({ ...base, currency: 'RWF', nested: { a: 1 } }).session).toEqual({
      ...base,
      currency: 'RWF',
      nested: { a: 1 },
    });
  });

  it.each([
    ['a missing session_id', { ...base, session_id: undefined }],
    ['an empty session_id', { ...base, session_id: '' }],
    ['a missing payment_link', { ...base, payment_link: undefined }],
    ['a payment_link that is not a URL', { ...base, payment_link: 'pay/sess_1' }],
    ['a javascript: payment_link', { ...base, payment_link: 'javascript:alert(1)' }],
    ['an array', [base]],
    ['null', null],
  ])('refuses %s', (_label, json) => {
    const result = parseSession(json);
    expect(result.session).toBeUndefined();
    expect(result.problems.length).toBeGreaterThan(0);
  });
});

describe('parseWireError', () => {
  it('reads the convention, issues included', () => {
    expect(
      parseWireError({
        error: { code: 'invalid_request', message: 'm', issues: [{ path: ['a', 0], message: 'x' }] },
      }),
    ).toEqual({ code: 'invalid_request', message: 'm', issues: [{ path: ['a', 0], message: 'x' }] });
  });

  it('tolerates odd shapes without throwing', () => {
    expect(parseWireError({ error: { code: 5 } })).toEqual({ code: undefined });
    expect(parseWireError('<html>')).toBeUndefined();
    expect(parseWireError(undefined)).toBeUndefined();
  });
});

describe('isCheckoutSession (the hot path)', () => {
  // Each field is usually valid and sometimes one of its boundaries, so that about half
  // the bodies are sessions and both verdicts are exercised.
  const noise = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.double(),
    fc.object(),
    fc.constant(null),
  );
  const usually = <T>(valid: fc.Arbitrary<T>, ...edges: unknown[]) =>
    fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: fc.constantFrom(...edges), weight: 1 }, noise);
  const body = fc.oneof(
    {
      arbitrary: fc.record(
        {
          session_id: usually(fc.string({ minLength: 1, maxLength: 40 }), ''),
          amount: usually(fc.integer(), 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5000'),
          kind: usually(fc.constantFrom('session:created', 'session:other'), true),
          payment_link: usually(
            fc.oneof(fc.webUrl(), fc.constant('https://checkout.pasis.rw/pay/sess_1')),
            'https://',
            'http://x',
            'HTTPS://EXAMPLE.RW/p',
            'ftp://x.rw',
            'javascript:alert(1)',
            'http://[::1]:80/',
            'http:// spaced.rw',
          ),
          created_at: usually(fc.constant('2025-09-11T09:00:00Z'), 7),
          extra: noise,
        },
        { requiredKeys: ['session_id', 'amount', 'kind', 'payment_link', 'created_at'] },
      ),
      weight: 10,
    },
    fc.record({ session_id: noise, payment_link: noise }, { requiredKeys: [] }),
    fc.constantFrom(null, undefined, [], 'session', 42),
  );

  it('agrees with the zod schema on random input', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (json) => {
        const valid = sessionSchema().safeParse(json).success;
        expect(isCheckoutSession(json)).toBe(valid);
        if (valid) accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(600); // both verdicts were exercised
  });
});
