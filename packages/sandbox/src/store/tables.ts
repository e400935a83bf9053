import type {
  DeliveryAttempt,
  IdempotencyRecord,
  SandboxApp,
  SandboxDelivery,
  SandboxSession,
} from '../model.js';

type Codec = 'text' | 'int' | 'bool' | 'json';

/** How one kind of record maps onto its table: each field a column, nested values as JSON. */
export interface TableSpec {
  name: string;
  key: readonly string[];
  columns: Readonly<Record<string, Codec>>;
}

/** The rows of each table, as the store hands them to the database. */
export interface Rows {
  apps: SandboxApp;
  sessions: SandboxSession;
  deliveries: Omit<SandboxDelivery, 'attempts'>;
  attempts: DeliveryAttempt & { delivery_id: string };
  idempotency_keys: IdempotencyRecord & { key: string };
}

/** One spec per table of schema.ts; a column missing there fails when the statements are prepared. */
export const TABLES: { readonly [K in keyof Rows]: TableSpec } = {
  apps: {
    name: 'apps',
    key: ['app_id'],
    columns: {
      app_id: 'text',
      name: 'text',
      callback_url: 'text',
      return_url: 'text',
      webhook_secret: 'text',
      verified: 'bool',
      approved_numbers: 'json',
      created_at: 'text',
    },
  },
  sessions: {
    name: 'sessions',
    key: ['session_id'],
    columns: {
      session_id: 'text',
      app_id: 'text',
      email: 'text',
      items: 'json',
      amount: 'int',
      status: 'text',
      payment_link: 'text',
      created_at: 'text',
      completed_at: 'text',
      phone: 'text',
    },
  },
  deliveries: {
    name: 'deliveries',
    key: ['id'],
    columns: {
      id: 'text',
      webhook_id: 'text',
      app_id: 'text',
      session_id: 'text',
      event: 'json',
      url: 'text',
      behaviour: 'text',
      delay_ms: 'int',
      redelivery_of: 'text',
      state: 'text',
      next_retry_at: 'text',
      created_at: 'text',
    },
  },
  attempts: {
    name: 'attempts',
    key: ['delivery_id', 'attempt'],
    columns: {
      delivery_id: 'text',
      attempt: 'int',
      reason: 'text',
      at: 'text',
      request: 'json',
      status_code: 'int',
      response: 'json',
      error: 'text',
      duration_ms: 'int',
    },
  },
  idempotency_keys: {
    name: 'idempotency_keys',
    key: ['key'],
    columns: { key: 'text', fingerprint: 'text', session_id: 'text' },
  },
};

/** An insert-or-update that keeps the row's place (its rowid: the order lists show). */
export function upsertSql(spec: TableSpec): string {
  const names = Object.keys(spec.columns);
  const updates = names.filter((n) => !spec.key.includes(n)).map((n) => `${n} = excluded.${n}`);
  return `INSERT INTO ${spec.name} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})
ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

/** A record as SQLite parameters: `undefined` becomes NULL, booleans 0/1, nested values JSON. */
export function encodeRow(spec: TableSpec, record: object): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [name, codec] of Object.entries(spec.columns)) {
    const value = (record as Record<string, unknown>)[name];
    if (value === undefined || value === null) row[name] = null;
    else if (codec === 'bool') row[name] = value ? 1 : 0;
    else if (codec === 'json') row[name] = JSON.stringify(value);
    else row[name] = value;
  }
  return row;
}

/** A row back as the record it was: NULL columns are left out, as optional fields were. */
export function decodeRow<T>(spec: TableSpec, row: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const [name, codec] of Object.entries(spec.columns)) {
    const value = row[name];
    if (value === null || value === undefined) continue;
    if (codec === 'bool') record[name] = value === 1;
    else if (codec === 'json') record[name] = JSON.parse(String(value));
    else record[name] = value;
  }
  return record as T;
}
