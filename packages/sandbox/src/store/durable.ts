import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner-only: the data files hold webhook secrets. */
export const FILE_MODE = 0o600;

/**
 * Writes all of `data` at the file's current position (a write may take less than asked).
 *
 * @example
 * writeAll(fd, Buffer.from('line\n'));
 */
export function writeAll(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) offset += writeSync(fd, data, offset);
}

/**
 * Makes a rename or a new file in `dir` durable. Windows cannot open a directory; there the
 * file system journals renames itself, so there is nothing to do.
 *
 * @example
 * fsyncDir('.pasis-sandbox');
 */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Replaces `file` with `content` so that, whatever the moment of a crash, it holds either
 * the old content or the new, whole: written to `<file>.tmp` (mode 0600), fsync'd, renamed
 * over `file`, then the directory fsync'd.
 *
 * @example
 * replaceDurably('.pasis-sandbox/snapshot.jsonl', text);
 */
export function replaceDurably(file: string, content: string): void {
  const temp = `${file}.tmp`;
  // A leftover of a crash, or a file someone made with wider permissions: never reused.
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', FILE_MODE);
  try {
    writeAll(fd, Buffer.from(content, 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncDir(dirname(file));
}
