import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRetrievedSession, parseRetrievedSession, retrievedSessionSchema } from './retrieved-session.js';
import { isValidSessionId, retrievePath } from './wire.js';

describe('retrievePath and isValidSessionId (CONTRACT §1b)', () => {
  it('spells the convention, both parts encoded', () => {
    expect(retrievePath('sess_12345', 'app_1')).toBe('api/checkouts/sess_12345?app_id=app_1');
    expect(retrievePath('a/b?c', 'x&y')).toBe('api/checkouts/a%2Fb%3Fc?app_id=x%26y');
  });

  const ids = fc.oneof(
    fc.constantFrom('.', '..', '%2e%2e', '.%2E', '../x', '/', '\\', '?', '#', '//evil.example'),
    fc.string({ minLength: 1, maxLength: 30, unit: 'binary-ascii' }),
  );

  it('never lets an accepted id leave the checkouts path', () => {
    const base = new URL('https://checkout.pasis.rw/prefix/');
    fc.assert(
      fc.property(ids, (id) => {
        if (!isValidSessionId(id)) return;
        const url = new URL(retrievePath(id, 'app'), base);
        expect(url.origin).toBe(base.origin);
        expect(url.pathname.startsWith('/prefix/api/checkouts/')).toBe(true);
        expect(url.pathname.split('/')).toHaveLength(5);
        expect(url.searchParams.get('app_id')).toBe('app');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('isRetrievedSession (the hot path)', () => {
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
          session_id: usually(
            fc.string({ minLength: 1, maxLength: 40 }),
            '',
            'x'.repeat(256),
            'x'.repeat(255),
          ),
          amount: usually(fc.nat(), -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5000'),
          status: usually(fc.constantFrom('open', 'success', 'cancelled'), 'paid', 'SUCCESS', ''),
          payment_link: usually(
            fc.constant('https://checkout.pasis.rw/pay/sess_1'),
            'javascript:alert(1)',
            'https://',
            'pay/sess_1',
          ),
          created_at: usually(fc.constant('2025-09-11T09:00:00Z'), 7),
          completed_at: usually(fc.constant('2025-09-11T09:03:10Z'), 7, null),
          extra: noise,
        },
        { requiredKeys: ['session_id', 'amount', 'status'] },
      ),
      weight: 10,
    },
    fc.constantFrom(null, undefined, [], 'session', 42),
  );

  it('agrees with the zod schema on random input', () => {
    let accepted = 0;
    fc.assert(
      fc.property(body, (json) => {
        const valid = retrievedSessionSchema().safeParse(json).success;
        expect(isRetrievedSession(json)).toBe(valid);
        if (valid) accepted++;
      }),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(300); // both verdicts were exercised
  });

  it('explains a rejection by field name only, and refuses an answer about another session', () => {
    const bad = parseRetrievedSession({ session_id: 'sess_1', amount: 'lots', status: 'paid' }, 'sess_1');
    expect(bad.session).toBeUndefined();
    expect(bad.problems.join(' ')).toMatch(/amount/);
    expect(bad.problems.join(' ')).not.toMatch(/lots|paid/);
    const other = parseRetrievedSession({ session_id: 'sess_2', amount: 1, status: 'open' }, 'sess_1');
    expect(other).toEqual({ problems: ['session_id: not the session asked for'] });
  });
});
