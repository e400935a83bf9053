/**
 * Logs that cannot flood: within each window the first `limit` lines pass, the rest are only
 * counted (by key), and one summary per window says how many were held back and of which
 * kinds. The summary is written when the next line arrives after the window, or by an
 * unref'd timer at the window's end, whichever comes first: a burst that simply stops still
 * gets its summary, and the timer never keeps a process alive.
 */

/** Options of a {@link LogWindow}. */
export interface LogWindowOptions {
  /** Lines let through per window. */
  limit: number;
  /** The window's length, in milliseconds. */
  windowMs: number;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Writes the summary of a window in which `held` lines were held back. */
  summarize: (held: number, byKey: ReadonlyMap<string, number>) => void;
  /** Schedules the end-of-window summary (a seam for tests). Default: an unref'd `setTimeout`. */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

function unrefTimer(fn: () => void, ms: number): unknown {
  const timer = setTimeout(fn, ms);
  timer.unref?.();
  return timer;
}

/**
 * Counts lines per window; see the module comment. Not exported from the package.
 *
 * @example
 * if (window.admit(code)) logger.warn(`rejected: ${code}`); // else counted for the summary
 */
export class LogWindow {
  readonly #options: LogWindowOptions;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  #start = Number.NEGATIVE_INFINITY;
  #passed = 0;
  #held = 0;
  #byKey = new Map<string, number>();
  #armed = false;

  constructor(options: LogWindowOptions) {
    this.#options = options;
    this.#setTimer = options.setTimer ?? unrefTimer;
  }

  /** Whether a line of this `key` may be written now; `false`: it was counted instead. */
  admit(key: string): boolean {
    const { limit, windowMs } = this.#options;
    const now = this.#options.now();
    // A clock that went backwards starts a new window too, rather than holding lines forever.
    if (now - this.#start >= windowMs || now < this.#start) {
      this.flush();
      this.#start = now;
      this.#passed = 0;
    }
    if (this.#passed < limit) {
      this.#passed++;
      return true;
    }
    this.#held++;
    this.#byKey.set(key, (this.#byKey.get(key) ?? 0) + 1);
    if (!this.#armed) {
      this.#armed = true;
      this.#setTimer(
        () => {
          this.#armed = false;
          this.flush();
        },
        Math.max(0, this.#start + windowMs - now),
      );
    }
    return false;
  }

  /** Writes the summary of what was held back, if anything was. */
  flush(): void {
    if (this.#held === 0) return;
    const held = this.#held;
    const byKey = this.#byKey;
    this.#held = 0;
    this.#byKey = new Map();
    this.#options.summarize(held, byKey);
  }
}

/**
 * `a 3, b 1`, most frequent first: for summary lines.
 *
 * @example
 * describeCounts(new Map([['a', 1], ['b', 3]])); // 'b 3, a 1'
 */
export function describeCounts(byKey: ReadonlyMap<string, number>): string {
  return [...byKey]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
}
