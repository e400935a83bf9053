// A throwaway MariaDB for the tests and benchmarks: Debian's `mariadb-server` binaries, a
// temp dir, 127.0.0.1 on a free port, no grant tables (root, no password, loopback only),
// and Debian's own configuration ignored (--no-defaults). Nothing is written outside the
// temp dir; `stop()` ends the server and removes it. As root, the server runs as `mysql`
// (mariadbd refuses to run as root), as TOOLCHAIN.md says.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/**
 * Whether Debian's MariaDB server binaries are installed.
 *
 * @example
 * hasMariadbBinaries(); // true after `apt-get install mariadb-server`
 */
export function hasMariadbBinaries() {
  return existsSync(MARIADBD) && existsSync(INSTALL_DB);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket.destroy() || true));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts a MariaDB in a temp dir and resolves with its URL (`mysql://root@127.0.0.1:<port>`)
 * and how to stop it. Throws with the server's own log when it cannot start.
 *
 * @example
 * const mariadb = await startMariadb();
 * try { run({ PASIS_TEST_MYSQL_URL: mariadb.url }); } finally { mariadb.stop(); }
 */
export async function startMariadb() {
  const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'pasis-mariadb.'));
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'mysql']).toString()), 0);
  const log = join(dir, 'server.log');
  const fail = (message) => {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '';
    rmSync(dir, { recursive: true, force: true });
    return new Error(`throwaway-mariadb: ${message}\n${tail}`);
  };
  try {
    execFileSync(
      INSTALL_DB,
      [
        ...(root ? ['--user=mysql'] : []),
        `--datadir=${dir}/data`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    throw fail(`mariadb-install-db failed: ${error.stderr ?? error.message}`);
  }
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${dir}/data`,
    `--socket=${dir}/sock`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-grant-tables',
    `--pid-file=${dir}/pid`,
    `--log-error=${log}`,
    '--skip-log-bin',
    '--max-connections=300',
    '--innodb-buffer-pool-size=64M',
    // Durable against a killed client (what the crash tests do), not against a power cut.
    '--innodb-flush-log-at-trx-commit=2',
  ];
  const command = root ? 'runuser' : MARIADBD;
  const child = spawn(command, root ? ['-u', 'mysql', '--', MARIADBD, ...args] : args, {
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (exited) throw fail('mariadbd exited before accepting connections');
    if (Date.now() > deadline) throw fail('mariadbd did not accept connections within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let stopped = false;
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    dir,
    /** Stops the server and removes its dir; idempotent, synchronous (safe in an exit path). */
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
        process.kill(pid, 'SIGKILL');
      } catch {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
