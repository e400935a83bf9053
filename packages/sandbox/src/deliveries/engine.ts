import { signWebhook } from '@pasis/core/testing';
import type { SandboxLogger } from '../logger.js';
import type {
  AttemptReason,
  DeliveryAttempt,
  SandboxApp,
  SandboxDelivery,
  SandboxSession,
  WebhookBehaviour,
} from '../model.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { freshCopy, newDelivery } from './records.js';
import { retriesInRound } from './rounds.js';
import { send } from './send.js';

/** Waits between attempts by default: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000,
];

/** Sent with every delivery, so a receiver's logs say where it came from. */
const USER_AGENT = 'pasis-sandbox';
// setTimeout's limit (about 24.8 days); a later due time is reached by re-arming.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the engine is built from: the store, the schedule (ms), the per-attempt timeout, the logger. */
export interface DeliveryOptions {
  store: SandboxStore;
  retrySchedule: readonly number[];
  timeoutMs: number;
  logger: SandboxLogger;
}

/**
 * Delivers `session:processed` events at least once: signed with the app's secret, the same
 * `webhook-id` on every attempt, retried on the schedule while the receiver answers non-2xx
 * or cannot be reached, each attempt recorded with its request and answer. Due times live
 * in the store (`next_retry_at`), so a restarted sandbox resumes them. Never blocks the
 * caller: attempts run in the background.
 */
export class DeliveryEngine {
  // One pending timer per delivery: a redelivery replaces it rather than running beside it.
  readonly #timers = new Map<string, NodeJS.Timeout>();
  // The round whose result decides the delivery's state; an older round only records attempts.
  readonly #rounds = new Map<string, number>();
  readonly #numbers = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(private readonly options: DeliveryOptions) {}

  /**
   * Records the delivery of a finished session's event (no I/O yet): call it in the same
   * transaction that ends the session, then {@link dispatch} it.
   */
  create(
    app: SandboxApp,
    session: SandboxSession,
    behaviour: WebhookBehaviour,
    delayMs = 0,
  ): SandboxDelivery {
    const delivery = newDelivery(app, session, behaviour, delayMs);
    this.options.store.saveDelivery(delivery);
    return delivery;
  }

  /** Sends a pending delivery now, or arms its timer for `next_retry_at` (at once when overdue). */
  dispatch(delivery: SandboxDelivery): void {
    if (delivery.state === 'lost') {
      this.options.logger.info(`delivery ${delivery.webhook_id} lost on purpose (webhook: lose): never sent`);
      return;
    }
    if (delivery.state !== 'pending' || this.#closing.signal.aborted) return;
    const due = delivery.next_retry_at ? Date.parse(delivery.next_retry_at) : Date.now();
    this.#arm(delivery, due);
  }

  /** Picks up every pending delivery of the store: what a restarted sandbox owes. */
  resume(): number {
    let count = 0;
    for (const delivery of this.options.store.deliveries.values()) {
      if (delivery.state !== 'pending') continue;
      this.dispatch(delivery);
      count++;
    }
    return count;
  }

  /**
   * Sends an event again now. With the same `webhook-id` by default (retries then follow the
   * schedule again); with `newId`, as a fresh delivery of the very same event under a new
   * `webhook-id`, linked by `redelivery_of`. Never a different outcome.
   */
  redeliver(delivery: SandboxDelivery, { newId: fresh = false } = {}): SandboxDelivery {
    const { store } = this.options;
    const target = fresh ? freshCopy(delivery) : delivery;
    if (!fresh) {
      clearTimeout(this.#timers.get(delivery.id));
      this.#timers.delete(delivery.id);
    }
    target.state = 'pending';
    target.next_retry_at = undefined;
    store.saveDelivery(target);
    this.#startRound(target, 'redeliver');
    return target;
  }

  /** Stops retrying, aborts attempts in flight and waits for them; pending deliveries stay pending. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  #arm(delivery: SandboxDelivery, due: number) {
    clearTimeout(this.#timers.get(delivery.id));
    const wait = due - Date.now();
    if (wait <= 0) {
      this.#timers.delete(delivery.id);
      this.#startRound(delivery, delivery.attempts.length === 0 ? 'first' : 'retry');
      return;
    }
    const timer = setTimeout(() => this.#arm(delivery, due), Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    this.#timers.set(delivery.id, timer);
  }

  #startRound(delivery: SandboxDelivery, reason: AttemptReason) {
    if (this.#closing.signal.aborted) return;
    const round = (this.#rounds.get(delivery.id) ?? 0) + 1;
    this.#rounds.set(delivery.id, round);
    const run = this.#round(delivery, reason, round).finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  async #round(delivery: SandboxDelivery, reason: AttemptReason, round: number): Promise<void> {
    const { store, logger, retrySchedule } = this.options;
    const app = store.apps.get(delivery.app_id);
    if (!app) return;
    // Cleared on disk before sending: a sandbox killed mid-attempt sends again at once on start.
    delivery.next_retry_at = undefined;
    store.saveDelivery(delivery);
    // A fresh timestamp per round (receivers check it against their clock); the same id.
    const { body, headers } = signWebhook(delivery.event, {
      secret: app.webhook_secret,
      id: delivery.webhook_id,
    });
    const request = { body, headers: { ...headers, 'user-agent': USER_AGENT } };
    // `duplicate`: the same signed request twice, started in the same turn.
    const copies: AttemptReason[] =
      reason === 'first' && delivery.behaviour === 'duplicate' ? ['first', 'duplicate'] : [reason];
    const attempts = await Promise.all(copies.map((copy) => this.#attempt(delivery, copy, request)));
    if (this.#rounds.get(delivery.id) !== round) return;
    if (attempts.some((a) => a.status_code !== undefined && a.status_code >= 200 && a.status_code < 300)) {
      delivery.state = 'delivered';
    } else if (this.#closing.signal.aborted) {
      // Cut short by close(): due again as soon as a sandbox runs on this data again.
      delivery.next_retry_at = new Date().toISOString();
    } else {
      const wait = retrySchedule[retriesInRound(delivery.attempts)];
      if (wait === undefined) {
        delivery.state = 'failed';
        logger.warn(`delivery ${delivery.webhook_id} gave up after ${delivery.attempts.length} attempts`);
      } else {
        delivery.next_retry_at = new Date(Date.now() + wait).toISOString();
      }
    }
    store.saveDelivery(delivery);
    if (delivery.state === 'pending' && !this.#closing.signal.aborted) this.dispatch(delivery);
  }

  async #attempt(
    delivery: SandboxDelivery,
    reason: AttemptReason,
    request: { body: string; headers: Record<string, string> },
  ): Promise<DeliveryAttempt> {
    const number = Math.max(this.#numbers.get(delivery.id) ?? 0, delivery.attempts.length) + 1;
    this.#numbers.set(delivery.id, number);
    const at = new Date().toISOString();
    const result = await send(delivery.url, request, {
      timeoutMs: this.options.timeoutMs,
      closing: this.#closing.signal,
    });
    const attempt: DeliveryAttempt = { attempt: number, reason, at, request, ...result };
    this.options.store.addAttempt(delivery, attempt);
    this.options.logger.info(
      `delivery ${delivery.webhook_id} attempt ${number} (${reason}) → ${delivery.url}: ` +
        `${attempt.status_code ?? attempt.error} (${attempt.duration_ms} ms)`,
    );
    return attempt;
  }
}
