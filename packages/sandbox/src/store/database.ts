import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { configError } from '../config-error.js';
import { MIGRATIONS, SCHEMA_VERSION, TABLE_NAMES } from './schema.js';
import { decodeRow, encodeRow, type Rows, TABLES, upsertSql } from './tables.js';

/** The data file's name inside a data dir. */
export const DATA_FILE = 'sandbox.sqlite';

/** Everything a data file holds, in the order it was first written. */
export type LoadedRows = { [K in keyof Rows]: Rows[K][] };

/** The store's durable side: one SQLite database, written synchronously. */
export interface SandboxDatabase {
  /** The data file, or `undefined` for an in-memory sandbox. */
  readonly file: string | undefined;
  save<K extends keyof Rows>(table: K, row: Rows[K]): void;
  loadAll(): LoadedRows;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

const NOTHING_CHANGED = 'Nothing was changed; move the file aside to start afresh, or use another data dir.';

// Read before SQLite opens the file: a wrong header or a newer schema is refused without
// SQLite ever touching the file (not even its -wal and -shm side files).
function inspectHeader(file: string): 'absent' | 'empty' | number {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return 'absent';
  }
  if (size === 0) return 'empty';
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw configError(
      `the data file ${file} is not a sandbox database (it is not SQLite). ${NOTHING_CHANGED}`,
    );
  }
  return header.readUInt32BE(60);
}

function refuseNewer(file: string, version: number): never {
  throw configError(
    `the data file ${file} has schema version ${version}, newer than this release understands ` +
      `(${SCHEMA_VERSION}): a newer @pasis/sandbox wrote it. Nothing was changed; upgrade @pasis/sandbox, ` +
      'or use another data dir.',
  );
}

function check(db: Database.Database, file: string): number {
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) refuseNewer(file, version);
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw Object.assign(new Error(String(integrity)), { code: 'SQLITE_CORRUPT' });
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    if (version === 0 && tables.size > 0) {
      throw configError(
        `the data file ${file} holds another program's tables, not a sandbox's. ${NOTHING_CHANGED}`,
      );
    }
    const missing = version === 0 ? [] : TABLE_NAMES.filter((name) => !tables.has(name));
    if (missing.length > 0) {
      throw configError(
        `the data file ${file} is damaged: table ${missing.join(', ')} is missing. ${NOTHING_CHANGED}`,
      );
    }
    return version;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw configError(
        `the data file ${file} is in use by another sandbox (a \`pasis sandbox\` or a createSandbox() with the ` +
          'same data dir). Stop it first, or use another data dir.',
        error,
      );
    }
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      throw configError(
        `the data file ${file} is damaged (${(error as Error).message}). ${NOTHING_CHANGED}`,
        error,
      );
    }
    throw error;
  }
}

function migrate(db: Database.Database, from: number) {
  db.transaction(() => {
    for (let version = from; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

function openFile(dataDir: string): { db: Database.Database; file: string } {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw configError(`the data dir ${dir} cannot be used: ${(error as Error).message}.`, error);
  }
  const file = join(dir, DATA_FILE);
  const header = inspectHeader(file);
  if (typeof header === 'number' && header > SCHEMA_VERSION) refuseNewer(file, header);
  const db = new Database(file, { timeout: 0 });
  try {
    // Held for as long as this sandbox runs: a second sandbox on the same data dir is refused
    // rather than sending every pending retry a second time.
    db.pragma('locking_mode = EXCLUSIVE');
    const version = check(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, version);
    return { db, file };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens the data file in `dataDir` (created when absent, brought up to this release's schema),
 * or an in-memory database when `dataDir` is undefined. A file that is not a sandbox
 * database, is damaged, has a newer schema, or is held by another sandbox is refused with a
 * `config_error` naming it, and left exactly as it was.
 *
 * @example
 * const db = openDatabase('.pasis-sandbox'); // .pasis-sandbox/sandbox.sqlite
 */
export function openDatabase(dataDir?: string): SandboxDatabase {
  let db: Database.Database;
  let file: string | undefined;
  if (dataDir === undefined) {
    db = new Database(':memory:');
    migrate(db, 0);
  } else {
    ({ db, file } = openFile(dataDir));
  }
  const upserts = Object.fromEntries(
    Object.entries(TABLES).map(([table, spec]) => [table, db.prepare(upsertSql(spec))]),
  ) as Record<keyof Rows, Database.Statement>;
  let open = true;
  return {
    file,
    save(table, row) {
      upserts[table].run(encodeRow(TABLES[table], row));
    },
    loadAll() {
      const all = {} as Record<string, unknown[]>;
      for (const [table, spec] of Object.entries(TABLES)) {
        const rows = db.prepare(`SELECT * FROM ${spec.name} ORDER BY rowid`).all() as Record<
          string,
          unknown
        >[];
        all[table] = rows.map((row) => decodeRow(spec, row));
      }
      return all as LoadedRows;
    },
    transaction: (fn) => db.transaction(fn)(),
    close() {
      if (open) db.close();
      open = false;
    },
  };
}
