import type {
  DeliveryAttempt,
  IdempotencyRecord,
  SandboxApp,
  SandboxDelivery,
  SandboxSession,
} from '../model.js';

/** The rows of each table, as the store hands them to the database. */
export interface Rows {
  apps: SandboxApp;
  sessions: SandboxSession;
  deliveries: Omit<SandboxDelivery, 'attempts'>;
  attempts: DeliveryAttempt & { delivery_id: string };
  idempotency_keys: IdempotencyRecord & { key: string };
}

/** A table's name. */
export type TableName = keyof Rows;

/** Every table, in the order a snapshot lists them (apps before their sessions, and so on). */
export const TABLE_NAMES: readonly TableName[] = [
  'apps',
  'sessions',
  'deliveries',
  'attempts',
  'idempotency_keys',
];

// The fields that identify a row: a later write of the same key replaces it, in its place.
const KEYS: { readonly [K in TableName]: readonly [string, 'string' | 'number'][] } = {
  apps: [['app_id', 'string']],
  sessions: [['session_id', 'string']],
  deliveries: [['id', 'string']],
  attempts: [
    ['delivery_id', 'string'],
    ['attempt', 'number'],
  ],
  idempotency_keys: [['key', 'string']],
};

/**
 * The key of `row` in `table`, or `undefined` when the table is unknown or the row lacks a
 * key field: what a damaged or foreign record looks like.
 *
 * @example
 * rowKey('attempts', { delivery_id: 'dlv_1', attempt: 2 }); // 'dlv_1\u00002'
 */
export function rowKey(table: string, row: unknown): string | undefined {
  const fields = (KEYS as Record<string, readonly [string, string][]>)[table];
  if (!fields || typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const parts: string[] = [];
  for (const [field, type] of fields) {
    const value = (row as Record<string, unknown>)[field];
    if (typeof value !== type) return undefined;
    parts.push(String(value));
  }
  return parts.join('\u0000');
}
