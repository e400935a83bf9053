import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { isPasisError } from '@pasis/core';
import { configError } from '../config-error.js';
import { DATA_FILES, headerLine, readDataFile, recordLine } from './data-file.js';
import type { LoadedRows, SandboxDatabase } from './database-types.js';
import { FILE_MODE, replaceDurably, writeAll } from './durable.js';
import { lockDataDir } from './lock.js';
import { rowKey, TABLE_NAMES, type TableName } from './tables.js';

/** The data file of earlier development builds, which kept everything in SQLite. */
const SQLITE_FILE = 'sandbox.sqlite';

// The log is folded into a new snapshot once it is this large and twice the live data:
// writes stay appends, and the files stay within a few times what they hold.
const COMPACT_AT_BYTES = 1024 * 1024;

type Table = Map<string, string>; // key → the row's JSON

function openDir(dataDir: string): string {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw configError(`the data dir ${dir} cannot be used: ${(error as Error).message}.`, error);
  }
  const sqlite = join(dir, SQLITE_FILE);
  if (existsSync(sqlite)) {
    throw configError(
      `the data dir ${dir} holds ${sqlite}, written by an earlier @pasis/sandbox that kept its data in ` +
        'SQLite; this release keeps it in plain files and cannot read that one. Nothing was changed; ' +
        `delete ${sqlite} (or the whole data dir) to start afresh, or use another data dir.`,
    );
  }
  return dir;
}

// What the file system refuses (a lock that is a directory, a read-only data dir) is a
// config_error naming the data dir, as every other refusal.
function unusable(dir: string, error: unknown): unknown {
  if (isPasisError(error)) return error;
  return configError(`the data dir ${dir} cannot be used: ${(error as Error).message}.`, error);
}

/**
 * The durable store of a data dir: a snapshot of every row plus an append-only log of the
 * writes since (see data-file.ts). Each write, or each transaction, is one log record, written
 * and fsync'd before it returns: after a crash it is there whole, or not at all. On open the
 * log is folded into a fresh snapshot (written aside, fsync'd, renamed over the old one), and
 * again whenever it grows well past the live data. Everything is synchronous, as the store is.
 *
 * @example
 * const db = openFileDatabase('.pasis-sandbox');
 */
export function openFileDatabase(dataDir: string): SandboxDatabase {
  const dir = openDir(dataDir);
  const snapshotFile = join(dir, DATA_FILES.snapshot);
  const logFile = join(dir, DATA_FILES.log);
  let release: () => void;
  try {
    release = lockDataDir(dir);
  } catch (error) {
    throw unusable(dir, error);
  }
  const tables = new Map<TableName, Table>(TABLE_NAMES.map((name) => [name, new Map()]));
  let liveBytes = 0;
  const apply = (table: TableName, key: string, json: string) => {
    const rows = tables.get(table)!;
    liveBytes += json.length - (rows.get(key)?.length ?? 0);
    rows.set(key, json);
  };
  let fd: number | undefined;
  let logSize = 0; // bytes in the log file, its header included
  let compactAt = COMPACT_AT_BYTES;

  function compact() {
    const lines = [
      headerLine(
        'snapshot',
        [...tables.values()].reduce((n, rows) => n + rows.size, 0),
      ),
    ];
    for (const [table, rows] of tables) {
      for (const json of rows.values()) lines.push(recordLine(`[[${JSON.stringify(table)},${json}]]`));
    }
    replaceDurably(snapshotFile, lines.join(''));
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    // A crash before this line replays the old log over the new snapshot: the same upserts
    // again, so the same rows.
    replaceDurably(logFile, headerLine('log'));
    openLog();
    compactAt = COMPACT_AT_BYTES;
  }

  function openLog() {
    fd = openSync(logFile, 'a', FILE_MODE);
    logSize = fstatSync(fd).size;
  }

  try {
    const snapshot = readDataFile(snapshotFile, 'snapshot');
    const log = readDataFile(logFile, 'log');
    for (const record of [...(snapshot?.records ?? []), ...(log?.records ?? [])]) {
      for (const [table, row] of record) apply(table, rowKey(table, row)!, JSON.stringify(row));
    }
    if (!snapshot || !log || log.records.length > 0 || log.torn) compact();
    else openLog();
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    release();
    throw unusable(dir, error);
  }

  type Entry = [table: TableName, key: string, json: string];
  let pending: Entry[] | undefined;
  let broken: Error | undefined;

  function commit(rows: Entry[]) {
    if (broken) throw broken;
    if (fd === undefined) throw configError('the sandbox is closed: its data dir can no longer be written.');
    const json = `[${rows.map(([table, , row]) => `[${JSON.stringify(table)},${row}]`).join(',')}]`;
    const line = Buffer.from(recordLine(json), 'utf8');
    try {
      writeAll(fd, line);
      fdatasyncSync(fd);
    } catch (error) {
      // A half-written record (a full disk) must not sit before the next one.
      try {
        ftruncateSync(fd, logSize);
      } catch (cause) {
        broken = new Error(`@pasis/sandbox: ${logFile} could not be written nor repaired.`, { cause });
      }
      throw error;
    }
    logSize += line.length;
    for (const [table, key, row] of rows) apply(table, key, row);
    if (logSize > compactAt && logSize > 2 * liveBytes) {
      try {
        compact();
      } catch {
        // The record above is safe in the log; the log only stays longer. Try again later.
        compactAt = logSize * 2;
        if (fd === undefined) openLog();
      }
    }
  }

  return {
    dataDir: dir,
    save(table, row) {
      const entry: Entry = [table, rowKey(table, row)!, JSON.stringify(row)];
      if (pending) pending.push(entry);
      else commit([entry]);
    },
    loadAll() {
      const all = {} as Record<TableName, unknown[]>;
      for (const [table, rows] of tables) all[table] = [...rows.values()].map((json) => JSON.parse(json));
      return all as LoadedRows;
    },
    transaction(fn) {
      if (pending) return fn(); // nested: part of the outer transaction
      pending = [];
      try {
        const result = fn();
        if (pending.length > 0) commit(pending);
        return result;
      } finally {
        pending = undefined;
      }
    },
    close() {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
      release();
    },
  };
}
