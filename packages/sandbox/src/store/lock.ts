/**
 * One sandbox per data dir: a second one would send every pending retry a second time. The
 * lock is a file naming its process; a lock whose process is gone (killed with `kill -9`,
 * a crash, a restarted container) is taken over, so it never blocks the next start.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { configError } from '../config-error.js';
import { DATA_FILES } from './data-file.js';
import { FILE_MODE, writeAll } from './durable.js';

interface Owner {
  pid: number;
  /** When the process started (Linux clock ticks since boot): a reused pid has another one. */
  started?: string;
}

// Locks this process holds: another sandbox in the same process is refused as well.
const held = new Set<string>();

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined; // not Linux, or no such process
  }
}

function alive(owner: Owner): boolean {
  // Our own pid, in a lock this process does not hold: left by an earlier life of this pid.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = startTime(owner.pid);
  return owner.started === undefined || now === undefined || now === owner.started;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const owner = JSON.parse(text) as Owner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

function inUse(dir: string, detail: string): Error {
  return configError(
    `the data dir ${dir} is in use by another sandbox (${detail}; a \`pasis sandbox\` or a ` +
      'createSandbox() with the same data dir). Stop it first, or use another data dir.',
  );
}

function create(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeAll(fd, Buffer.from(text));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of `dir` (which must exist) for this process, or throws a `config_error`
 * when a live process holds it. Returns the function that releases it.
 *
 * @example
 * const release = lockDataDir('/abs/.pasis-sandbox');
 * release(); // on close
 */
export function lockDataDir(dir: string): () => void {
  const path = join(dir, DATA_FILES.lock);
  if (held.has(path)) throw inUse(dir, 'in this process');
  const started = startTime(process.pid);
  const mine = `${JSON.stringify({ pid: process.pid, ...(started ? { started } : {}) })}\n`;
  // Twice at most: once as found, once after taking over a stale lock.
  for (let tries = 0; tries < 2; tries++) {
    if (create(path, mine)) {
      held.add(path);
      return () => release(path, mine);
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw error;
    }
    const owner = parseOwner(text);
    // Unreadable: another sandbox is writing it this instant (or died in that instant).
    if (!owner) throw inUse(dir, `its lock ${path} is unreadable; delete it if no sandbox runs`);
    if (alive(owner)) throw inUse(dir, `process ${owner.pid}`);
    // Moved aside atomically, then checked: if another starter replaced the stale lock in
    // between, its lock is put back and this one backs off.
    const aside = `${path}.${process.pid}.stale`;
    try {
      renameSync(path, aside);
    } catch {
      continue;
    }
    const moved = readFileSync(aside, 'utf8');
    if (moved !== text) {
      renameSync(aside, path);
      throw inUse(dir, `process ${parseOwner(moved)?.pid ?? 'unknown'}`);
    }
    rmSync(aside, { force: true });
  }
  throw inUse(dir, 'another sandbox took the lock as this one started');
}

function release(path: string, mine: string): void {
  held.delete(path);
  try {
    if (readFileSync(path, 'utf8') === mine) rmSync(path, { force: true });
  } catch {
    // Already gone: nothing to release.
  }
}
