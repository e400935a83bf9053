import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventSchemas, knownEventKinds, quickEventChecks } from './schemas.js';

const field = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    'success',
    'cancelled',
    'refunded',
    '',
    'x'.repeat(256),
    -1,
    0,
    1.5,
    2 ** 53,
    Number.NaN,
    null,
    undefined,
  ),
  fc.boolean(),
  fc.object(),
);

describe('quickEventChecks', () => {
  it('knows exactly the kinds that have a schema', () => {
    expect([...knownEventKinds].sort()).toEqual(Object.keys(eventSchemas()).sort());
  });

  it.each(knownEventKinds)('agrees with the zod schema of %s on random objects', (kind) => {
    fc.assert(
      fc.property(
        fc.record(
          {
            session_id: field,
            amount: field,
            status: field,
            payment_link: field,
            created_at: field,
            extra: field,
          },
          { requiredKeys: [] },
        ),
        (fields) => {
          const event = { ...fields, kind } as Record<string, unknown>;
          expect(quickEventChecks[kind](event)).toBe(eventSchemas()[kind].safeParse(event).success);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
