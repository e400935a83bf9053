import { describe, expect, it } from 'vitest';
import { parseSession, parseWireError, toWireBody } from './wire.js';

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
