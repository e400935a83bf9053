import { describe, expect, it } from 'vitest';
import { pgAborted } from './bridge.js';

// pg rejects a failed query when its ErrorResponse arrives; the ReadyForQuery carrying the
// transaction's new status may come in a later packet. Seen under load: a status read in
// between said 'T', and TypeORM committed an aborted transaction as a silent rollback.
describe('pgAborted: what a pg client says of its transaction, trusted only once it is up to date', () => {
  const client = (readyForQuery: boolean, status: string) => ({
    readyForQuery,
    getTransactionStatus: () => status,
  });

  it('answers from the ReadyForQuery status once pg has it', () => {
    expect(pgAborted(client(true, 'T'))).toBe(false);
    expect(pgAborted(client(true, 'E'))).toBe(true);
    expect(pgAborted(client(true, 'I'))).toBe(true);
  });

  it('cannot tell while a query is in flight or its ReadyForQuery has not arrived, nor for what is not a pg client', () => {
    expect(pgAborted(client(false, 'T'))).toBeUndefined();
    expect(pgAborted(client(false, 'E'))).toBeUndefined();
    expect(pgAborted({})).toBeUndefined();
    expect(pgAborted(undefined)).toBeUndefined();
  });
});
