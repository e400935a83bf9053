import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import { parseCreateSessionParams } from './params.js';

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
