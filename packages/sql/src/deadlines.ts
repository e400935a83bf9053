/** The pending bounds of one length, oldest first: so also in the order they expire. */
class Queue {
  head: Deadline | undefined = undefined;
  tail: Deadline | undefined = undefined;
}

/** A bound set with {@link Deadlines.set}: unlinked from its queue once it fired or was cancelled. */
class Deadline {
  prev: Deadline | undefined;
  next: Deadline | undefined = undefined;

  constructor(
    readonly queue: Queue,
    readonly at: number,
    public expire: (() => void) | undefined,
  ) {
    this.prev = queue.tail;
    if (queue.tail === undefined) queue.head = this;
    else queue.tail.next = this;
    queue.tail = this;
  }

  /** Takes it out of its queue; answers whether it was still in. */
  unlink(): boolean {
    if (this.expire === undefined) return false;
    this.expire = undefined;
    const { queue, prev, next } = this;
    if (prev === undefined) queue.head = next;
    else prev.next = next;
    if (next === undefined) queue.tail = prev;
    else next.prev = prev;
    return true;
  }
}

/**
 * The time bounds of one connection's waits (a transaction's start, each statement, the
 * commit), on one coarse timer instead of a `setTimeout` each: a delivery waits on three
 * bounds, and every Node timer costs a Timeout object, a clock read and a list insert and
 * removal (bench/sql.bench.mjs). Bounds of one length expire in the order they were set, so
 * each length is a queue (as Node keeps its own timers). A bound fires between `ms` and
 * `ms + tick` after it was set, the tick being a twentieth of the shortest bound the
 * connection uses (at most 250 ms, at least 1 ms). The timer runs only while a bound is
 * pending, and keeps the process alive as the per-wait timers did.
 */
export class Deadlines {
  readonly #queues = new Map<number, Queue>();
  readonly #tickMs: number;
  #pending = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** `shortestMs`: the shortest bound that will be set (it fixes the tick). */
  constructor(shortestMs: number) {
    this.#tickMs = Math.min(250, Math.max(1, Math.floor(shortestMs / 20)));
  }

  /** Calls `expire` once `ms` passed, unless {@link cancel} came first. */
  set(ms: number, expire: () => void): Deadline {
    let queue = this.#queues.get(ms);
    if (queue === undefined) {
      queue = new Queue();
      this.#queues.set(ms, queue);
    }
    this.#pending++;
    this.#timer ??= setInterval(() => this.#tick(), this.#tickMs);
    return new Deadline(queue, Date.now() + ms, expire);
  }

  /** Forgets `deadline` (again: nothing). */
  cancel(deadline: Deadline): void {
    if (deadline.unlink()) this.#pending--;
  }

  /**
   * `promise`, or a rejection once `ms` passed: a database that stops answering fails a step
   * (503, retried) rather than hanging a delivery. The promise keeps running; its rejection
   * is observed here so that it never goes unhandled.
   */
  bound<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const deadline = this.set(ms, () => reject(new Error(`${what} did not answer within ${ms} ms`)));
      promise.then(
        (value) => {
          this.cancel(deadline);
          resolve(value);
        },
        (error: unknown) => {
          this.cancel(deadline);
          reject(error);
        },
      );
    });
  }

  #tick(): void {
    const now = Date.now();
    for (const queue of this.#queues.values()) {
      while (queue.head !== undefined && queue.head.at <= now) {
        const deadline = queue.head;
        const expire = deadline.expire!;
        this.cancel(deadline);
        expire();
      }
    }
    if (this.#pending === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
