import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPasisError } from '../errors.js';
import { EMAIL_PATTERN, isValidSessionParams, paramsSchema, parseCreateSessionParams } from './params.js';

const valid = { items: [{ name: 'Money Transfer', amount: 5000 }], email: 'customer@mail.com' };

function issuesOf(input: unknown) {
  try {
    parseCreateSessionParams(input);
  } catch (error) {
    if (isPasisError(error, 'validation_error')) return error.issues;
    throw error;
  }
  throw new Error('expected a validation_error');
}

describe('parseCreateSessionParams', () => {
  it('accepts the documented example and strips unknown keys', () => {
    const parsed = parseCreateSessionParams({ ...valid, items: [{ ...valid.items[0], sku: 'x' }] });
    expect(parsed).toEqual(valid);
  });

  it.each([
    ['no items', { ...valid, items: [] }, ['items']],
    ['101 items', { ...valid, items: Array.from({ length: 101 }, () => valid.items[0]) }, ['items']],
    ['an empty name', { ...valid, items: [{ name: '', amount: 1 }] }, ['items', 0, 'name']],
    ['a blank name', { ...valid, items: [{ name: '   ', amount: 1 }] }, ['items', 0, 'name']],
    ['a 201-char name', { ...valid, items: [{ name: 'x'.repeat(201), amount: 1 }] }, ['items', 0, 'name']],
    ['a zero amount', { ...valid, items: [{ name: 'a', amount: 0 }] }, ['items', 0, 'amount']],
    ['a negative amount', { ...valid, items: [{ name: 'a', amount: -5 }] }, ['items', 0, 'amount']],
    ['a fractional amount', { ...valid, items: [{ name: 'a', amount: 10.5 }] }, ['items', 0, 'amount']],
    ['an unsafe amount', { ...valid, items: [{ name: 'a', amount: 2 ** 53 }] }, ['items', 0, 'amount']],
    ['the wire spelling Amount', { ...valid, items: [{ name: 'a', Amount: 5 }] }, ['items', 0, 'amount']],
    ['an invalid email', { ...valid, email: 'not-an-email' }, ['email']],
    [
      'an unsafe total',
      {
        ...valid,
        items: [
          { name: 'a', amount: 2 ** 52 },
          { name: 'b', amount: 2 ** 52 },
        ],
      },
      ['items'],
    ],
  ])('rejects %s', (_label, input, path) => {
    expect(issuesOf(input)?.map((i) => i.path)).toContainEqual(path);
  });

  it('accepts exactly 100 items and a 200-char name', () => {
    const items = Array.from({ length: 100 }, () => ({ name: 'é'.repeat(200), amount: 1 }));
    expect(parseCreateSessionParams({ ...valid, items }).items).toHaveLength(100);
  });

  it('reports every issue with a readable message', () => {
    const issues = issuesOf({ items: [{ name: '', amount: 0 }], email: 'x' });
    expect(issues).toHaveLength(3);
    for (const issue of issues ?? []) expect(issue.message).toMatch(/\w/);
  });

  it.each([undefined, null, 'params', 42])('rejects %s as params', (input) => {
    expect(issuesOf(input)?.length).toBeGreaterThan(0);
  });
});

describe('isValidSessionParams (the hot path)', () => {
  // Biased towards valid values, with every boundary mixed in: roughly half the generated
  // params are valid, so both verdicts are exercised (a test that only sees rejections
  // could not catch a hot path that is too lenient).
  const validName = fc.string({ minLength: 1, maxLength: 200 }).filter((n) => n.trim() !== '');
  const name = fc.oneof(
    { arbitrary: validName, weight: 8 },
    fc.string({ maxLength: 210 }),
    fc.constantFrom('', ' ', '\t\n', 'x'.repeat(200), 'x'.repeat(201), 'é'.repeat(200), '😀'.repeat(100)),
  );
  const validAmount = fc.integer({ min: 1, max: 10_000_000 });
  const amount = fc.oneof(
    { arbitrary: validAmount, weight: 8 },
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 1.5, 2 ** 52, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.NaN, '5000', null),
  );
  const item = fc.oneof(
    { arbitrary: fc.record({ name, amount }), weight: 8 },
    fc.record({ name, amount, sku: fc.string() }),
    fc.record({ name, amount }, { requiredKeys: [] }),
    fc.constantFrom(null, [], 'item', [{ name: 'a', amount: 1 }]),
  );
  const email = fc.oneof(
    { arbitrary: fc.constantFrom('customer@mail.com', 'a.b+c@shop.co.rw', "o'brien@mail.rw"), weight: 6 },
    fc.emailAddress(),
    fc.string(),
    fc.constantFrom('a@b', 'a@b.c', '@mail.com', 'a..b@mail.com', 'a@mail.com ', 42),
  );
  const params = fc.oneof(
    { arbitrary: fc.record({ items: fc.array(item, { minLength: 1, maxLength: 3 }), email }), weight: 8 },
    fc.record({ items: fc.array(item, { maxLength: 3 }), email }, { requiredKeys: [] }),
    fc.record({
      items: fc.array(fc.record({ name: validName, amount: validAmount }), { minLength: 99, maxLength: 101 }),
      email,
    }),
    fc.record({
      items: fc.constant([
        { name: 'a', amount: 2 ** 52 },
        { name: 'b', amount: 2 ** 52 },
      ]),
      email,
    }),
    fc.constantFrom(null, undefined, [], 'params', 42),
  );

  it('agrees with the zod schema on random input', () => {
    let accepted = 0;
    fc.assert(
      fc.property(params, (input) => {
        const valid = paramsSchema().safeParse(input).success;
        expect(isValidSessionParams(input)).toBe(valid);
        if (valid) accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(600); // both verdicts were exercised
  });

  it('returns a copy holding only the known fields', () => {
    const input = { items: [{ name: 'a', amount: 1, sku: 'x' }], email: 'a@b.co', note: 'n' };
    const parsed = parseCreateSessionParams(input);
    expect(parsed).toEqual({ items: [{ name: 'a', amount: 1 }], email: 'a@b.co' });
    expect(parsed.items[0]).not.toBe(input.items[0]);
  });
});

describe('the hot path does without zod', () => {
  it("checks emails with zod's own pattern (the same verdict on any string)", () => {
    const emailish = fc
      .tuple(
        fc.string({ unit: fc.constantFrom('a', 'Z', '0', '.', '-', '_', "'", '+', '@', ' ') }),
        fc.emailAddress(),
      )
      .chain(([junk, email]) => fc.constantFrom(email, junk, `${junk}${email}`, email.replace('@', junk)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), emailish), (text) => {
        expect(EMAIL_PATTERN.test(text)).toBe(z.regexes.email.test(text));
      }),
      { numRuns: 5000 },
    );
    expect(EMAIL_PATTERN.flags).toBe(z.regexes.email.flags);
  });
});
