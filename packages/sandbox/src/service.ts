import { createHash } from 'node:crypto';
import { generateWebhookSecret } from '@pasis/core/testing';
import type { z } from 'zod';
import { Approvals, paymentPending as pending } from './approvals.js';
import type { DeliveryEngine } from './deliveries/engine.js';
import { HttpError } from './http.js';
import { newAppId, newId } from './ids.js';
import {
  isoSeconds,
  type SandboxApp,
  type SandboxDelivery,
  type SandboxSession,
  type WebhookBehaviour,
} from './model.js';
import {
  APPROVING_NUMBER,
  DEFAULT_APPROVED_NUMBERS,
  decidePayment,
  PHONE_NOT_FOUND_HINT,
} from './payment-rules.js';
import { RateLimiter } from './rate-limit.js';
import type { SandboxStore } from './store/sandbox-store.js';
import { assertUsableSecret } from './usable-secret.js';
import { type initiateSchema, parseOr400, registerAppSchema } from './validation.js';

/** What registering an app takes (CONTRACT §4). */
export type RegisterAppInput = z.input<typeof registerAppSchema>;

/** How the customer finishes a session: the hosted page's fields, or the control API's body. */
export interface CompleteInput {
  status: 'success' | 'cancelled';
  phone?: string;
  /** Default: the sandbox's `webhook` option (`deliver` unless set). */
  webhook?: WebhookBehaviour;
  /** For `delay`. Default: the sandbox's `webhookDelayMs` (30 s unless set). */
  delay_ms?: number;
  /** How long a payer who never answers keeps the prompt. Default: the sandbox's `approvalWindowMs` (5 min). */
  approval_window_ms?: number;
}

/** The defaults a session is completed with when the request names none. */
export interface WebhookDefaults {
  webhook: WebhookBehaviour;
  webhookDelayMs: number;
  approvalWindowMs: number;
  rateLimit: number | undefined;
}

/** How a completion came out: a delivery once the session ended; none while it awaits approval. */
export interface Completion {
  session: SandboxSession;
  delivery?: SandboxDelivery;
}

/** The sandbox's operations, shared by the HTTP routes, the pay page and `createSandbox`. */
export class SandboxService {
  /** Payments awaiting approval on the payer's phone, and their deadlines. */
  readonly approvals: Approvals;
  /** `rateLimit`'s counters, for `/api/checkouts/*`. */
  readonly rateLimit: RateLimiter;

  constructor(
    readonly store: SandboxStore,
    readonly deliveries: DeliveryEngine,
    private readonly baseUrl: () => string,
    readonly defaults: WebhookDefaults,
  ) {
    this.approvals = new Approvals(store, deliveries);
    this.rateLimit = new RateLimiter(defaults.rateLimit);
  }

  /**
   * Registers an app (CONTRACT §4), or updates the one with its `app_id`. A new app gets a
   * generated id and secret, `verified: false` and the three test numbers as approved
   * numbers unless given. An app registered again keeps its secret, approved numbers and
   * verification unless given: a shop's configured secret stays valid.
   */
  registerApp(input: RegisterAppInput): SandboxApp {
    const valid = parseOr400(registerAppSchema, input);
    const existing = valid.app_id === undefined ? undefined : this.store.apps.get(valid.app_id);
    const app: SandboxApp = {
      app_id: valid.app_id ?? newAppId(),
      name: valid.name,
      callback_url: valid.callback_url,
      return_url: valid.return_url,
      webhook_secret: valid.webhook_secret ?? existing?.webhook_secret ?? generateWebhookSecret(),
      verified: valid.verified ?? existing?.verified ?? false,
      approved_numbers: valid.approved_numbers ?? existing?.approved_numbers ?? [...DEFAULT_APPROVED_NUMBERS],
      created_at: existing?.created_at ?? new Date().toISOString(),
    };
    assertUsableSecret(app.webhook_secret);
    this.store.saveApp(app);
    return app;
  }

  /** `POST /api/checkouts/initiate`, honouring `Idempotency-Key`. */
  initiate(body: z.output<typeof initiateSchema>, idempotencyKey: string | undefined): SandboxSession {
    const app = this.store.apps.get(body.app_id);
    if (!app) throw new HttpError(404, 'unknown_app', `No application with app_id ${body.app_id}.`);
    const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    const key = idempotencyKey === undefined ? undefined : `${app.app_id}:${idempotencyKey}`;
    if (key !== undefined) {
      const seen = this.store.idempotency.get(key);
      if (seen && seen.fingerprint !== fingerprint) {
        throw new HttpError(
          409,
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different request body.',
        );
      }
      const existing = seen && this.store.sessions.get(seen.session_id);
      if (existing) return existing;
    }
    const sessionId = newId('sess');
    const session: SandboxSession = {
      session_id: sessionId,
      app_id: app.app_id,
      email: body.email,
      items: body.items,
      amount: body.items.reduce((sum, item) => sum + item.Amount, 0),
      status: 'open',
      payment_link: `${this.baseUrl()}/pay/${sessionId}`,
      created_at: isoSeconds(),
    };
    this.store.transaction(() => {
      this.store.saveSession(session);
      if (key !== undefined) this.store.saveIdempotency(key, { fingerprint, session_id: sessionId });
    });
    return session;
  }

  /**
   * `GET /api/checkouts/:id?app_id=` (CONTRACT §1b): a session of that app, else
   * `unknown_session` (404), also for a missing or unknown `app_id`, so that nobody learns
   * which ids exist elsewhere.
   */
  retrieve(sessionId: string, appId: string | undefined): SandboxSession {
    const session = this.store.sessions.get(sessionId);
    if (!session || appId === undefined || session.app_id !== appId) {
      throw new HttpError(404, 'unknown_session', `No session ${sessionId} for this app_id.`);
    }
    return session;
  }

  /**
   * Acts as the customer: the same rules as the hosted page. Throws `phone_number_not_found`
   * (422) for a number an unverified app has not approved, 409 `session_finished` for a
   * finished session, 409 `payment_pending` while this session, or another payment from the
   * same number, awaits approval. The silent test number leaves the session open, awaiting
   * approval (no delivery yet). Otherwise the session ends and its delivery is recorded in
   * one transaction: a session ends once, with one outcome, whatever its webhook behaviour.
   */
  complete(sessionId: string, input: CompleteInput): Completion {
    const session = this.store.sessions.get(sessionId);
    if (!session) throw new HttpError(404, 'unknown_session', `No session ${sessionId}.`);
    const app = this.store.apps.get(session.app_id);
    if (!app) throw new HttpError(404, 'unknown_app', `No application with app_id ${session.app_id}.`);
    if (session.status !== 'open') {
      throw new HttpError(409, 'session_finished', `Session ${sessionId} is already ${session.status}.`);
    }
    if (session.approval) throw pending(session);
    const behaviour = input.webhook ?? this.defaults.webhook;
    const delayMs = input.delay_ms ?? this.defaults.webhookDelayMs;
    let status: 'success' | 'cancelled' = 'cancelled';
    if (input.status === 'success') {
      const phone = input.phone ?? APPROVING_NUMBER;
      const decision = decidePayment(app, phone);
      if (decision === 'phone_number_not_found') {
        throw new HttpError(422, 'phone_number_not_found', 'Phone number not found', {
          hint: PHONE_NOT_FOUND_HINT,
        });
      }
      const waiting = this.approvals.awaiting(phone);
      if (waiting) throw pending(waiting);
      if (decision === 'pending') {
        const window = input.approval_window_ms ?? this.defaults.approvalWindowMs;
        const choice =
          behaviour === 'delay' ? { webhook: behaviour, delay_ms: delayMs } : { webhook: behaviour };
        this.approvals.begin(session, { phone, ...choice }, window);
        return { session };
      }
      status = decision;
    }
    const delivery = this.store.transaction(() => {
      session.status = status;
      session.phone = input.phone;
      session.completed_at = isoSeconds();
      this.store.saveSession(session);
      return this.deliveries.create(app, session, behaviour, delayMs);
    });
    this.deliveries.dispatch(delivery);
    return { session, delivery };
  }

  /** The return URL with `session_id` and `status` in the query (CONTRACT §4). */
  returnUrl(session: SandboxSession): string {
    const app = this.store.apps.get(session.app_id);
    const url = new URL(app?.return_url ?? '/');
    url.searchParams.set('session_id', session.session_id);
    url.searchParams.set('status', session.status);
    return url.href;
  }
}
