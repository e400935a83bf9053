/**
 * The format of a data dir's two files: a snapshot of every row, and a log of the writes
 * since. Both are JSON lines: a header line `{"format":"pasis-sandbox","version":1,…}`, then
 * one record per line, `<crc32 in hex> <JSON array of [table, row] upserts>`. The checksum
 * tells a damaged record (refused) from the torn last one a crash leaves (ignored).
 */
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { configError } from '../config-error.js';
import { rowKey, type TableName } from './tables.js';

/** The files of a data dir: the snapshot, the log of writes since it, and the lock. */
export const DATA_FILES = { snapshot: 'snapshot.jsonl', log: 'log.jsonl', lock: 'sandbox.lock' } as const;

/** The version of the data files this release writes and reads; a newer one is refused. */
export const FORMAT_VERSION = 1;

const FORMAT = 'pasis-sandbox';

/** Which of the two data files. */
export type DataFileKind = 'snapshot' | 'log';

/** One row written: `[table, row]`. */
export type Upsert = readonly [TableName, Record<string, unknown>];

/** What a data file holds: its records in order, and whether a torn last record was left out. */
export interface DataFile {
  records: Upsert[][];
  torn: boolean;
}

/** How every refusal ends: the file is left as it was, and how to start afresh. */
export const NOTHING_CHANGED =
  'Nothing was changed; move the data dir aside (or delete it) to start afresh, or use another data dir.';

/**
 * The first line of a data file; a snapshot's says how many records follow.
 *
 * @example
 * headerLine('snapshot', 2); // '{"format":"pasis-sandbox","version":1,"kind":"snapshot","records":2}\n'
 */
export function headerLine(kind: DataFileKind, records?: number): string {
  const header = {
    format: FORMAT,
    version: FORMAT_VERSION,
    kind,
    ...(records === undefined ? {} : { records }),
  };
  return `${JSON.stringify(header)}\n`;
}

/**
 * One record's line, for the JSON of its array of upserts.
 *
 * @example
 * recordLine('[["apps",{"app_id":"app_1"}]]'); // '<8 hex digits> [["apps",{"app_id":"app_1"}]]\n'
 */
export function recordLine(json: string): string {
  return `${checksum(json)} ${json}\n`;
}

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

function damaged(file: string, line: number, why: string): Error {
  return configError(`the data file ${file} is damaged (line ${line}: ${why}). ${NOTHING_CHANGED}`);
}

function checkHeader(file: string, kind: DataFileKind, line: string | undefined): { records?: number } {
  let header: Record<string, unknown> | undefined;
  try {
    header = JSON.parse(line ?? '');
  } catch {}
  if (typeof header !== 'object' || header === null || header.format !== FORMAT) {
    throw configError(
      `the data file ${file} is not a sandbox data file (its first line is not a @pasis/sandbox header). ${NOTHING_CHANGED}`,
    );
  }
  const { version, records } = header;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw damaged(file, 1, 'the header has no valid version');
  }
  if (version > FORMAT_VERSION) {
    throw configError(
      `the data file ${file} has format version ${version}, newer than this release understands ` +
        `(${FORMAT_VERSION}): a newer @pasis/sandbox wrote it. Nothing was changed; upgrade @pasis/sandbox, ` +
        'or use another data dir.',
    );
  }
  if (header.kind !== kind) throw damaged(file, 1, `the header says ${String(header.kind)}, not ${kind}`);
  if (kind === 'snapshot' && !(typeof records === 'number' && Number.isInteger(records) && records >= 0)) {
    throw damaged(file, 1, 'the header has no record count');
  }
  return kind === 'snapshot' ? { records: records as number } : {};
}

function parseRecord(line: string): Upsert[] | string {
  const json = line.slice(9);
  if (line[8] !== ' ' || line.slice(0, 8) !== checksum(json)) return 'its checksum does not match';
  let upserts: unknown;
  try {
    upserts = JSON.parse(json);
  } catch {
    return 'it is not JSON';
  }
  if (!Array.isArray(upserts) || upserts.length === 0) return 'it holds no rows';
  for (const upsert of upserts) {
    if (!Array.isArray(upsert) || upsert.length !== 2 || rowKey(upsert[0], upsert[1]) === undefined) {
      return 'a row has no table or no key';
    }
  }
  return upserts as Upsert[];
}

/**
 * Reads a data file whole, or `undefined` when there is none (or it is empty). A file that
 * is not a sandbox's, has a newer version, or has a damaged record is refused with a
 * `config_error` naming it. A log's last record without its newline is what a crash leaves
 * mid-write: it was never acknowledged, so it is left out (`torn: true`). A snapshot is
 * written whole before it replaces the last one, so any flaw in it is damage.
 *
 * @example
 * const log = readDataFile('.pasis-sandbox/log.jsonl', 'log'); // { records: [[['apps', {…}]]], torn: false }
 */
export function readDataFile(file: string, kind: DataFileKind): DataFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw configError(`the data file ${file} cannot be read (${(error as Error).message}).`, error);
  }
  if (text === '') return undefined;
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const { records: expected } = checkHeader(file, kind, lines[0] ?? tail);
  if (lines.length === 0) throw damaged(file, 1, 'the header is cut short');
  const records: Upsert[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const parsed = parseRecord(lines[i]!);
    if (typeof parsed === 'string') throw damaged(file, i + 1, parsed);
    records.push(parsed);
  }
  if (kind === 'snapshot' && tail !== '') throw damaged(file, lines.length + 1, 'it is cut short');
  if (expected !== undefined && records.length !== expected) {
    throw damaged(file, lines.length, `${records.length} records where the header says ${expected}`);
  }
  return { records, torn: tail !== '' };
}
