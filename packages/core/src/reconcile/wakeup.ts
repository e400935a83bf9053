/**
 * The run's one wait: its reader and workers sleep on it until something changes (a page
 * read, a retrieve settled, the end of reading) or the run's signal aborts.
 */

/**
 * Wakes every waiter at once; each re-checks what it waits for. Not exported from the package.
 *
 * @example
 * const wakeup = new Wakeup(signal);
 * while (queue.length === 0 && !signal.aborted) await wakeup.wait();
 */
export class Wakeup {
  #waiters: (() => void)[] = [];
  readonly #signal: AbortSignal;
  readonly #onAbort = () => this.notify();

  constructor(signal: AbortSignal) {
    this.#signal = signal;
    signal.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** Resolves at the next `notify()`, or now when the signal has aborted. */
  wait(): Promise<void> {
    if (this.#signal.aborted) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes every waiter. */
  notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Drops the abort listener (the run is over). */
  close(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    this.notify();
  }
}
