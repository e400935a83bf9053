import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A receiver process, and a wait for the lines it prints. */
export interface ReceiverProcess {
  url: string;
  child: ChildProcess;
  /** Resolves once the process printed a line starting with `line` (rejects if it exits first, or after 60 s). */
  waitFor(line: string): Promise<void>;
  /** SIGKILL (kill -9), then waits for the exit. */
  kill(): Promise<void>;
}

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** Starts `script` (a TypeScript file, through tsx) with `env`; resolves once it listens. */
export async function startReceiver(script: string, env: Record<string, string>): Promise<ReceiverProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => line.startsWith(w.line))) waiter.resolve();
  });
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (lines.some((l) => l.startsWith(line))) return resolve();
      const timer = setTimeout(() => reject(new Error(`the receiver never printed "${line}"`)), 60_000);
      waiters.push({
        line,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the receiver exited (${code}) before "${line}"`));
      });
    });
  await waitFor('listening');
  const port = lines.find((l) => l.startsWith('listening'))!.split(' ')[1];
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    child,
    waitFor,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
