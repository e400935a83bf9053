import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package's `bin`, run as a user's `pasis` runs it: it loads the BUILT `dist/cli.js`. */
export const BIN = fileURLToPath(new URL('../../bin/pasis.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Throws unless the binary was built. */
export function assertBuilt(): void {
  if (!existsSync(DIST_CLI)) {
    throw new Error(`${DIST_CLI} is missing: run \`pnpm build\` first (pnpm test does).`);
  }
}

/** Where and how to run `pasis`. Default: {@link BIN}, in this process's working directory. */
export interface RunOptions {
  bin?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

function start(args: string[], options: RunOptions, stdin: 'pipe' | 'ignore'): ChildProcess {
  return spawn(process.execPath, [options.bin ?? BIN, ...args], {
    cwd: options.cwd,
    env: options.env ?? { ...process.env, PASIS_APP_ID: '', PASIS_WEBHOOK_SECRET: '' },
    stdio: [stdin, 'pipe', 'pipe'],
    timeout: 30_000,
  });
}

/**
 * Runs `pasis …` to its end. Asynchronous: a synchronous spawn would block the in-process
 * receiver or sandbox the CLI talks to.
 */
export function pasis(
  args: string[],
  input?: string,
  options: RunOptions = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = start(args, options, 'pipe');
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin!.end(input ?? '');
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

/** A running `pasis sandbox`, read through its output. */
export interface RunningSandbox {
  pid: number;
  /** What it printed up to its "Ctrl-C stops." line (or up to its exit). */
  out: string;
  /** `http://127.0.0.1:<port>`, once it listens. */
  url: string | undefined;
  /** Sends `signal` (default SIGINT) and resolves when it has exited. */
  stop(
    signal?: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: string | null; out: string; err: string }>;
}

/** Starts `pasis sandbox --port 0 …` and waits until it listens (or exits). */
export async function runSandbox(args: string[], options: RunOptions = {}): Promise<RunningSandbox> {
  const child = start(['sandbox', '--port', '0', ...args], options, 'ignore');
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => {
    done = true;
  });
  const deadline = Date.now() + 20_000;
  while (!out.includes('Ctrl-C') && !done && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid!,
    out,
    url: /listening on (http:\/\/\S+)/.exec(out)?.[1],
    async stop(signal = 'SIGINT') {
      child.kill(signal);
      return { ...(await exited), out, err };
    },
  };
}
