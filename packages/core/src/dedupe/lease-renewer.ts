import { errorSummary } from '../logging/format.js';
import type { PasisLogger } from '../logging/logger.js';
import type { WebhookStore } from './store.js';

/**
 * Keeps the claims of running handlers alive: every `leaseMs / 3` it renews each claim in
 * flight. One timer per receiver, not one per delivery: a timer per request measured ~3 µs
 * of the hot path. The timer stops itself on the first tick with nothing to renew.
 */
/** A claim being renewed. */
export interface Held {
  readonly key: string;
  readonly token: string;
  readonly deliveryId: string | undefined;
}

export class LeaseRenewer {
  readonly #active = new Set<Held>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: WebhookStore<unknown>,
    private readonly leaseMs: number,
    private readonly logger: PasisLogger,
  ) {}

  /**
   * Renews `key` until the returned hold is given to {@link release}. A handle, not a release
   * closure: one object per held claim, not two.
   */
  hold(key: string, token: string, deliveryId?: string): Held | undefined {
    if (typeof this.store.renew !== 'function') return undefined;
    const held = { key, token, deliveryId };
    this.#active.add(held);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), Math.max(10, Math.floor(this.leaseMs / 3)));
      this.#timer.unref?.();
    }
    return held;
  }

  /** Stops renewing a hold (again: nothing); `undefined` is nothing held. */
  release(held: Held | undefined): void {
    if (held !== undefined) this.#active.delete(held);
  }

  #tick() {
    if (this.#active.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    for (const { key, token, deliveryId } of this.#active) {
      // A store may answer synchronously or throw: the promise takes both.
      new Promise<boolean>((resolve) => resolve(this.store.renew!(key, token, this.leaseMs))).then(
        (held) => {
          if (!held)
            this.logger.warn('Pasis webhook: the claim was lost while the handler ran', {
              deliveryId,
              dedupeKey: key,
            });
        },
        (error: unknown) =>
          this.logger.warn(`Pasis webhook: could not renew the claim: ${errorSummary(error)}`, {
            deliveryId,
            dedupeKey: key,
            error,
          }),
      );
    }
  }
}
