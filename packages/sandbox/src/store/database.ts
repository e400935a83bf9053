import { openFileDatabase } from './file-database.js';
import type { Rows } from './tables.js';

export { DATA_FILES, FORMAT_VERSION } from './data-file.js';

/** Everything a data dir holds, each table in the order its rows were first written. */
export type LoadedRows = { [K in keyof Rows]: Rows[K][] };

/** The store's durable side; every call is synchronous, so a change is one uninterrupted step. */
export interface SandboxDatabase {
  /** The data dir (absolute), or `undefined` for an in-memory sandbox. */
  readonly dataDir: string | undefined;
  /** Adds the row, or replaces the one with its key (keeping its place). */
  save<K extends keyof Rows>(table: K, row: Rows[K]): void;
  loadAll(): LoadedRows;
  /** Runs `fn` as one write: all of its saves land, or none. A nested call joins the outer one. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

// An in-memory sandbox keeps nothing beyond the store's own maps.
const memory: SandboxDatabase = {
  dataDir: undefined,
  save() {},
  loadAll: () => ({ apps: [], sessions: [], deliveries: [], attempts: [], idempotency_keys: [] }),
  transaction: (fn) => fn(),
  close() {},
};

/**
 * Opens the data dir `dataDir` (created, mode 0700, when absent), or nothing at all for an
 * in-memory sandbox when it is undefined. A data dir another sandbox uses, or with files
 * that are not a sandbox's, are damaged or come from a newer release, is refused with a
 * `config_error` naming the file, and left exactly as it was.
 *
 * @example
 * const db = openDatabase('.pasis-sandbox'); // .pasis-sandbox/snapshot.jsonl and log.jsonl
 */
export function openDatabase(dataDir?: string): SandboxDatabase {
  return dataDir === undefined ? memory : openFileDatabase(dataDir);
}
