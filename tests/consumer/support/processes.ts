import { type ChildProcess, spawn } from 'node:child_process';
import { delimiter, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKSPACE = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

// How to reach the registry, which CI may set as npm_config_* on purpose: kept. Every other
// npm_config_* under `pnpm test` is pnpm's (its node-gyp, its global rc, `reporter=silent`).
const NETWORK_CONFIG =
  /^npm_config_(registry|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|noproxy|cache)$/i;

/**
 * The environment of a user's shell, not of this workspace: `pnpm test` puts the
 * workspace's `node_modules/.bin` on PATH (its `tsc`, its `pasis`) and sets `npm_*`
 * variables that npm would read as its own config; vitest sets NODE_ENV; PASIS_* would
 * configure the apps behind the test's back. None of it reaches the fresh projects.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|pasis_|tinypool)/i.test(key) && !NETWORK_CONFIG.test(key)) continue;
    if (['INIT_CWD', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'FORCE_COLOR'].includes(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== WORKSPACE && !resolve(dir).startsWith(WORKSPACE + sep))
    .join(delimiter);
  return { ...env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...extra };
}

export interface RunResult {
  code: number | null;
  output: string;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/**
 * Runs a command to its end (never through a shell) and returns its exit code and its
 * stdout and stderr interleaved. Past `timeoutMs` its whole process group is killed (npm
 * runs install scripts in children) and the code is null.
 */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const append = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      output += `\n[killed after ${options.timeoutMs} ms]`;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: null, output: `${output}\n${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** Formats a failed command for an assertion message. */
export function describeRun(label: string, result: RunResult): string {
  return `${label} exited with ${result.code}:\n${result.output.trim()}`;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** A server started as a user would (`node dist/main.js`), read through its output. */
export interface AppProcess {
  /** What it has printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if it exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /**
   * Sends `signal` (default SIGTERM) to its whole process group, as a terminal's Ctrl-C
   * (SIGINT) does, then SIGKILL if it is still running after a few seconds. Resolves with
   * its exit code, or the signal that ended it.
   */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startApp(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    notify();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  child.on('close', notify);
  child.on('error', (error) => {
    output += `\n${error.message}`;
    notify();
  });

  return {
    output: () => output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return finish(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) {
            finish(() =>
              reject(new Error(`the app exited (${child.exitCode ?? child.signalCode}):\n${output}`)),
            );
          }
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM') {
      killGroup(child, signal);
      const late = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      const result = await exited;
      clearTimeout(late);
      return result;
    },
  };
}
