import type { DeliveryEngine } from './deliveries/engine.js';
import { HttpError } from './http.js';
import { isoSeconds, type PendingApproval, type SandboxSession } from './model.js';
import { normalisePhone, PAYMENT_PENDING_MESSAGE } from './payment-rules.js';
import type { SandboxStore } from './store/sandbox-store.js';

/**
 * The provider's refusal while a payer's payment awaits approval: 409 `payment_pending`,
 * naming the waiting session and its deadline (never the number).
 *
 * @example
 * throw paymentPending(waiting); // 409 { error: { code: 'payment_pending', message: 'Payer already has…' } }
 */
export function paymentPending(waiting: SandboxSession): HttpError {
  return new HttpError(
    409,
    'payment_pending',
    `${PAYMENT_PENDING_MESSAGE}: session ${waiting.session_id} awaits approval on the payer's phone until ${waiting.approval?.expires_at}.`,
  );
}

// setTimeout's limit (about 24.8 days); a later deadline is reached by re-arming.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Payments awaiting approval on the payer's phone (CONTRACT §4). Each deadline lives on its
 * session (`approval.expires_at`), so a restarted sandbox picks them up with {@link resume}
 * and still ends each one at its deadline (at once when it passed while the sandbox was
 * down). Ending one is like any other end: the session turns `cancelled` together with its
 * delivery, in one transaction, then the webhook goes out.
 *
 * @example
 * const approvals = new Approvals(store, deliveries);
 * approvals.begin(session, { phone: '0780000003', webhook: 'deliver' }, 300_000);
 */
export class Approvals {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(
    private readonly store: SandboxStore,
    private readonly deliveries: DeliveryEngine,
  ) {}

  /** The open session whose payment from `phone` awaits approval, if there is one. */
  awaiting(phone: string): SandboxSession | undefined {
    const wanted = normalisePhone(phone);
    for (const session of this.store.sessions.values()) {
      if (
        session.status === 'open' &&
        session.approval &&
        normalisePhone(session.approval.phone) === wanted
      ) {
        return session;
      }
    }
    return undefined;
  }

  /** Leaves `session` open, awaiting approval for `windowMs`; it then ends `cancelled`. */
  begin(session: SandboxSession, approval: Omit<PendingApproval, 'expires_at'>, windowMs: number): void {
    const expiresAt = Date.now() + windowMs;
    session.approval = { ...approval, expires_at: new Date(expiresAt).toISOString() };
    session.phone = approval.phone;
    this.store.saveSession(session);
    this.#arm(session.session_id, expiresAt);
  }

  /** Arms a timer for every payment the store says awaits approval; returns how many. */
  resume(): number {
    let count = 0;
    for (const session of this.store.sessions.values()) {
      if (session.status !== 'open' || !session.approval) continue;
      this.#arm(session.session_id, Date.parse(session.approval.expires_at));
      count++;
    }
    return count;
  }

  /** Stops every timer; the deadlines stay on disk for the next start. */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #arm(sessionId: string, due: number) {
    clearTimeout(this.#timers.get(sessionId));
    this.#timers.delete(sessionId);
    if (this.#closed) return;
    // Never in the caller's turn, even when overdue: `complete` answers "awaiting approval"
    // before a zero window ends it.
    const wait = due - Date.now();
    const timer = setTimeout(
      () => (wait <= MAX_TIMER_MS ? this.#expire(sessionId) : this.#arm(sessionId, due)),
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    timer.unref();
    this.#timers.set(sessionId, timer);
  }

  #expire(sessionId: string) {
    this.#timers.delete(sessionId);
    if (this.#closed) return;
    const session = this.store.sessions.get(sessionId);
    const approval = session?.approval;
    const app = session && this.store.apps.get(session.app_id);
    if (!session || !approval || session.status !== 'open' || !app) return;
    const delivery = this.store.transaction(() => {
      session.status = 'cancelled';
      // When the prompt expired, even if the sandbox was down at that moment.
      session.completed_at = isoSeconds(new Date(approval.expires_at));
      session.approval = undefined;
      this.store.saveSession(session);
      return this.deliveries.create(app, session, approval.webhook, approval.delay_ms ?? 0);
    });
    this.deliveries.dispatch(delivery);
  }
}
