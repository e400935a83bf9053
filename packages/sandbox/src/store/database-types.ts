// The database's types on their own, so that its implementations (file-database.ts) and
// database.ts, which picks one, import them without importing each other.
import type { Rows } from './tables.js';

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
