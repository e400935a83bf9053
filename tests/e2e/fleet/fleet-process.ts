/** The parent's side of `reconciler-process.ts`: spawn one instance, send it runs, read its lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReconcileSummary } from '@pasis/core';

const script = fileURLToPath(new URL('./reconciler-process.ts', import.meta.url));
const testsDir = fileURLToPath(new URL('../..', import.meta.url));

/** One instance of the fleet. */
export interface FleetProcess {
  /** Session ids its handler ran for. */
  handled: string[];
  /** What each of its claims granted, in order. */
  claimed: number[];
  /** Starts one run over `sessions`; resolves with its summary (never, with `hang`). */
  run(sessions: string[], options?: { hang?: boolean }): Promise<ReconcileSummary>;
  /** Resolves once it printed its `n`-th claim. */
  claims(n: number): Promise<void>;
  /** SIGKILL (kill -9), then waits for the exit. */
  kill(): Promise<void>;
}

/** Starts an instance with `env` (see reconciler-process.ts); resolves once it is ready. */
export async function startFleetProcess(env: Record<string, string>): Promise<FleetProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: testsDir,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const handled: string[] = [];
  const claimed: number[] = [];
  const waiters = new Set<() => void>();
  let summaries: ((summary: ReconcileSummary) => void)[] = [];
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const line = JSON.parse(text) as {
      ready?: number;
      claimed?: number;
      handled?: string;
      summary?: ReconcileSummary;
    };
    if (line.ready !== undefined) ready();
    if (line.claimed !== undefined) claimed.push(line.claimed);
    if (line.handled !== undefined) handled.push(line.handled);
    if (line.summary !== undefined) summaries.shift()?.(line.summary);
    for (const wake of waiters) wake();
  });
  const exited = once(child, 'exit');
  await Promise.race([
    started,
    exited.then(([code]) =>
      Promise.reject(new Error(`the fleet process exited (${code}) before it was ready`)),
    ),
  ]);
  const until = (done: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fleet process never ${what}`)), 60_000);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return {
    handled,
    claimed,
    run(sessions, options = {}) {
      const summary = new Promise<ReconcileSummary>((resolve) => {
        summaries = [...summaries, resolve];
      });
      child.stdin!.write(`${JSON.stringify({ run: sessions, hang: options.hang })}\n`);
      return summary;
    },
    claims: (n) => until(() => claimed.length >= n, `claimed ${n} times`),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
