/**
 * A first-come, first-served gate for a database with one writer (SQLite) or one
 * connection (PGlite, sql.js): the store's transactions pass one at a time, and a waiter
 * that waited longer than its bound gives up (the delivery is answered 409 and retried)
 * instead of queueing behind a slow handler forever.
 */
export class SerialGate {
  static readonly #gates = new WeakMap<object, SerialGate>();

  /** The one gate of a database (its client object): shared by every store and outbox on it. */
  static of(client: object): SerialGate {
    let gate = SerialGate.#gates.get(client);
    if (gate === undefined) {
      gate = new SerialGate();
      SerialGate.#gates.set(client, gate);
    }
    return gate;
  }

  #busy = false;
  readonly #queue: { admit: () => void }[] = [];

  /** Resolves with the function that lets the next one in, or `undefined` after `waitMs`. */
  enter(waitMs: number): Promise<(() => void) | undefined> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve(this.#leave());
    }
    return new Promise((resolve) => {
      const waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve(this.#leave());
        },
      };
      const timer = setTimeout(() => {
        this.#queue.splice(this.#queue.indexOf(waiter), 1);
        resolve(undefined);
      }, waitMs);
      this.#queue.push(waiter);
    });
  }

  #leave(): () => void {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.#queue.shift();
      if (next) next.admit();
      else this.#busy = false;
    };
  }
}
