import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PasisError } from '@pasis/core';
import { SHOP_KIT } from '../package-name.js';

const LOCK_FILE = 'shop.lock';

function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(file: string): number {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch {
    return Number.NaN; // removed meanwhile, or unreadable: not a live holder
  }
}

/**
 * Takes the data dir for this process, or throws a `config_error`. PGlite has no lock of
 * its own: two processes on one data dir each see only their own writes and overwrite each
 * other's files, losing orders without an error. So the dir holds `shop.lock` with the
 * holder's pid; a lock whose process is gone (killed, crashed) is taken over. Returns the
 * function that gives the dir back.
 *
 * @example
 * const unlock = lockDataDir('/srv/shop/.data/express');
 * // … PGlite on it …
 * unlock();
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const mine = `${process.pid}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(file);
      if (isRunning(holder) || attempt > 0) {
        throw new PasisError(
          'config_error',
          `${SHOP_KIT}: ${dir} is in use by another shop process (pid ${holder}). PGlite serves one ` +
            'process: stop that one, give this one another SHOP_DATA_DIR, or share a PostgreSQL (DATABASE_URL).',
        );
      }
      rmSync(file, { force: true }); // its holder is gone
    }
  }
  return () => {
    if (holderOf(file) === process.pid) rmSync(file, { force: true });
  };
}
