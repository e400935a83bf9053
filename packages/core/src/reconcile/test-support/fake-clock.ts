/**
 * A fake clock for the reconciler's scheduler and pauses: time moves only when a test
 * calls `advance`, while sockets, the local Pasis and the handlers run for real.
 */
import type { ReconcilerClock, TimerHandle } from '../clock.js';

interface FakeTimer extends TimerHandle {
  at: number;
  fn: () => void;
  unrefed: boolean;
  cleared: boolean;
}

/** A {@link ReconcilerClock} whose time a test moves by hand. */
export interface FakeClock extends ReconcilerClock {
  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  advance(ms: number): void;
  /** Timers set and neither fired nor cleared. */
  pending(): number;
  /** Every timer ever set: to check that each was unref'd. */
  readonly timers: readonly { unrefed: boolean }[];
}

/** Starts at `start` ms since the epoch; the jitter's random source is fixed at 0.5. */
export function createFakeClock(start = Date.parse('2025-09-11T09:00:00Z')): FakeClock {
  let now = start;
  const timers: FakeTimer[] = [];
  return {
    now: () => now,
    random: () => 0.5,
    setTimer(fn, ms) {
      const timer: FakeTimer = {
        at: now + ms,
        fn,
        unrefed: false,
        cleared: false,
        unref() {
          timer.unrefed = true;
          return timer;
        },
      };
      timers.push(timer);
      return timer;
    },
    clearTimer(handle) {
      (handle as FakeTimer).cleared = true;
    },
    advance(ms) {
      const target = now + ms;
      // Bounded: each pass fires at least one timer, and only timers due by `target`.
      for (let guard = 0; guard < 10_000; guard++) {
        const next = timers.filter((t) => !t.cleared && t.at <= target).sort((a, b) => a.at - b.at)[0];
        if (next === undefined) break;
        now = Math.max(now, next.at);
        next.cleared = true;
        next.fn();
      }
      now = target;
    },
    pending: () => timers.filter((t) => !t.cleared).length,
    timers,
  };
}
