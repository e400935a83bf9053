import { signWebhook } from '@pasis/core/testing';
import type { SessionProcessedEvent } from '@pasis/core';
import { newId } from './ids.js';
import type { SandboxLogger } from './logger.js';
import type { SandboxApp, SandboxDelivery, SandboxSession, SandboxStore } from './store.js';

/** Waits between attempts by default: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h. */
export const DEFAULT_RETRY_SCHEDULE = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

export interface DeliveryOptions {
  store: SandboxStore;
  retrySchedule: readonly number[];
  timeoutMs: number;
  logger: SandboxLogger;
}

/**
 * Delivers `session:processed` events at least once: signed with the app's secret, the same
 * `webhook-id` on every attempt, retried on the schedule while the receiver answers non-2xx
 * or cannot be reached. Never blocks the caller: attempts run in the background.
 */
export class DeliveryEngine {
  // One pending retry per delivery: a redelivery replaces it rather than running beside it.
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #closing = new AbortController();

  constructor(private readonly options: DeliveryOptions) {}

  /** Records and starts the delivery of a finished session's event. */
  enqueue(app: SandboxApp, session: SandboxSession): SandboxDelivery {
    const event: SessionProcessedEvent = {
      kind: 'session:processed',
      session_id: session.session_id,
      amount: session.amount,
      status: session.status === 'success' ? 'success' : 'cancelled',
    };
    const delivery: SandboxDelivery = {
      id: newId('dlv'),
      webhook_id: newId('msg', 16),
      app_id: app.app_id,
      session_id: session.session_id,
      event,
      url: app.callback_url,
      state: 'pending',
      attempts: [],
    };
    this.options.store.deliveries.set(delivery.id, delivery);
    this.#start(delivery, 0);
    return delivery;
  }

  /** Sends an event again now, with the same `webhook-id`; retries follow the schedule. */
  redeliver(delivery: SandboxDelivery): void {
    clearTimeout(this.#timers.get(delivery.id));
    this.#timers.delete(delivery.id);
    delivery.state = 'pending';
    this.#start(delivery, 0);
  }

  /** Stops retrying, aborts attempts in flight and waits for them to settle. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  #start(delivery: SandboxDelivery, retryIndex: number) {
    if (this.#closing.signal.aborted) return;
    const run = this.#attempt(delivery, retryIndex).finally(() => this.#inFlight.delete(run));
    this.#inFlight.add(run);
  }

  async #attempt(delivery: SandboxDelivery, retryIndex: number): Promise<void> {
    const { store, logger, retrySchedule, timeoutMs } = this.options;
    const app = store.apps.get(delivery.app_id);
    if (!app) return;
    delivery.next_retry_at = undefined;
    // A fresh timestamp per attempt (the receiver checks it against its clock); same id.
    const { body, headers } = signWebhook(delivery.event, {
      secret: app.webhook_secret,
      id: delivery.webhook_id,
    });
    const started = Date.now();
    const attempt: SandboxDelivery['attempts'][number] = {
      attempt: delivery.attempts.length + 1,
      at: new Date(started).toISOString(),
      duration_ms: 0,
    };
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.#closing.signal]);
      const res = await fetch(delivery.url, { method: 'POST', body, headers, signal, redirect: 'manual' });
      await res.arrayBuffer().catch(() => undefined);
      attempt.status_code = res.status;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      attempt.error = cause?.code ?? (error instanceof Error ? error.name : String(error));
    }
    attempt.duration_ms = Date.now() - started;
    delivery.attempts.push(attempt);
    const ok = attempt.status_code !== undefined && attempt.status_code >= 200 && attempt.status_code < 300;
    const outcome = attempt.status_code ?? attempt.error;
    logger.info(
      `delivery ${delivery.webhook_id} attempt ${attempt.attempt} → ${delivery.url}: ${outcome} (${attempt.duration_ms} ms)`,
    );
    if (ok) {
      delivery.state = 'delivered';
      return;
    }
    const wait = retrySchedule[retryIndex];
    if (wait === undefined || this.#closing.signal.aborted) {
      delivery.state = 'failed';
      logger.warn(`delivery ${delivery.webhook_id} gave up after ${delivery.attempts.length} attempts`);
      return;
    }
    delivery.next_retry_at = new Date(Date.now() + wait).toISOString();
    const timer = setTimeout(() => {
      this.#timers.delete(delivery.id);
      this.#start(delivery, retryIndex + 1);
    }, wait);
    timer.unref();
    this.#timers.set(delivery.id, timer);
  }
}
