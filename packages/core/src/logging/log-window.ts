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
  /**
   * Lines of one key let through per window, within `limit`: a failure repeated on every
   * delivery shows a few times, and other failures still get their lines. Default: `limit`.
   */
  perKeyLimit?: number;
  /** The window's length, in milliseconds. */
  windowMs: number;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Writes the summary of a window in which `held` lines were held back. */
  summarize: (held: number, byKey: ReadonlyMap<string, number>) => void;
  /** Schedules the end-of-window summary (a seam for tests). Default: an unref'd `setTimeout`. */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/** Distinct keys a summary counts one by one; the rest are counted as {@link OTHER_KEY}. */
const MAX_HELD_KEYS = 20;
const OTHER_KEY = 'others';

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
  #passedByKey = new Map<string, number>();
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
      this.#passedByKey.clear();
    }
    const perKey = this.#options.perKeyLimit;
    const passedOfKey = perKey === undefined ? 0 : (this.#passedByKey.get(key) ?? 0);
    if (this.#passed < limit && (perKey === undefined || passedOfKey < perKey)) {
      this.#passed++;
      // At most `limit` keys a window: the map cannot grow with the traffic.
      if (perKey !== undefined) this.#passedByKey.set(key, passedOfKey + 1);
      return true;
    }
    this.#held++;
    // Keys can be as many as the distinct failures: past MAX_HELD_KEYS they are counted together.
    const heldKey = this.#byKey.has(key) || this.#byKey.size < MAX_HELD_KEYS ? key : OTHER_KEY;
    this.#byKey.set(heldKey, (this.#byKey.get(heldKey) ?? 0) + 1);
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
