// One build at a time per checkout: `pnpm demo` in one terminal and `pnpm test` in another,
// or `pnpm -r test` running several packages' tests at once, would otherwise clean and write
// the same dist/ folders together. The lock is a directory (mkdir is atomic) holding the
// owner's pid; a lock whose owner is dead is taken over.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// Its owner is dead, or it died between creating the lock and writing its pid.
function abandoned(lock) {
  try {
    return !alive(Number(readFileSync(join(lock, 'pid'), 'utf8')));
  } catch {
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile: the next mkdir takes it
    }
  }
}

/**
 * Waits until this process holds the build lock of `root` and resolves with its release
 * function. `onWait` is called once if another build holds it.
 *
 * @example
 * const release = await acquireBuildLock('/repo', () => console.log('waiting for another build…'));
 * try { … } finally { release(); }
 */
export async function acquireBuildLock(root, onWait = () => {}) {
  const cache = join(root, 'node_modules', '.cache');
  const lock = join(cache, 'pasis-build.lock');
  mkdirSync(cache, { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (abandoned(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) onWait();
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
