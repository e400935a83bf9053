/**
 * The reconciler's view of time, injectable so that its scheduler and its pauses run on a
 * fake clock in tests while its retrieves still go to a real local server.
 */

/** What a timer handle offers: Node's has `unref`, a fake one may too. */
export interface TimerHandle {
  unref?(): unknown;
}

/** Seams for deterministic tests; kept out of the public options. */
export interface ReconcilerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; the reconciler unrefs every timer it sets. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** The random source of the backoff's jitter, in [0, 1). */
  random(): number;
}

/** Production seams: Node's timers, `Date.now`, `Math.random`. */
export const systemClock: ReconcilerClock = {
  now: Date.now,
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: Math.random,
};

/**
 * Waits `ms` on `clock`, or less: resolves (never rejects) as soon as `signal` aborts, so a
 * stopped reconciler does not sit out a pause. The timer is unref'd: a pause never keeps
 * the process alive on its own.
 */
export function pause(clock: ReconcilerClock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimer(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimer(done, ms);
    timer.unref?.();
    signal.addEventListener('abort', done, { once: true });
  });
}
