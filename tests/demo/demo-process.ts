import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `pnpm demo …` started the way a terminal starts it: pnpm leads a process group of its own. */
export interface DemoProcess {
  child: ChildProcess;
  /** Everything pnpm, the demo and the shop wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code and signal of pnpm. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` to the whole group, as Ctrl-C in a terminal does (SIGINT to every process in it). */
  signalGroup(signal: NodeJS.Signals): void;
  /** Whether any process of the group is still alive. */
  groupAlive(): boolean;
}

const started = new Set<DemoProcess>();

/** SIGKILLs the group of every demo still running (a failed or timed-out test's). */
export function killLeftoverDemos(): void {
  for (const demo of started) if (demo.groupAlive()) demo.signalGroup('SIGKILL');
  started.clear();
}

/**
 * Starts `pnpm demo <args>` in the repository with `env` on top of this process's
 * environment, in a new process group (as a shell's job), with its output captured.
 */
export function startDemo(args: string[], env: Record<string, string>): DemoProcess {
  const child = spawn('pnpm', ['demo', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const pgid = child.pid!;
  const demo: DemoProcess = {
    child,
    output: () => output,
    exited,
    signalGroup: (signal) => process.kill(-pgid, signal),
    groupAlive() {
      try {
        process.kill(-pgid, 0);
        return true;
      } catch {
        return false;
      }
    },
  };
  started.add(demo);
  return demo;
}

/**
 * Waits until `url` answers 200, or the demo exits first (then throws with its output). A
 * bound for a loaded machine (8 minutes: a first start may build everything), not a speed claim.
 */
export async function waitForPage(demo: DemoProcess, url: string): Promise<void> {
  const deadline = Date.now() + 480_000;
  while (Date.now() < deadline) {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null) {
      throw new Error(`pnpm demo exited before ${url} answered:\n${demo.output()}`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  demo.signalGroup('SIGKILL');
  throw new Error(`${url} did not answer within 8 minutes:\n${demo.output()}`);
}

/** Waits (bounded: a minute) until the demo's output contains `text`; throws with the output otherwise. */
export async function waitForOutput(demo: DemoProcess, text: string): Promise<void> {
  for (let i = 0; i < 600 && !demo.output().includes(text); i++) {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!demo.output().includes(text))
    throw new Error(`pnpm demo never printed ${JSON.stringify(text)}:\n${demo.output()}`);
}

/** Waits (bounded) until no process of the demo's group is left; false if one still is. */
export async function groupGone(demo: DemoProcess): Promise<boolean> {
  for (let i = 0; i < 100 && demo.groupAlive(); i++) await new Promise((r) => setTimeout(r, 100));
  const gone = !demo.groupAlive();
  if (!gone) demo.signalGroup('SIGKILL');
  return gone;
}
