import { createHash } from 'node:crypto';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import type { z } from 'zod';
import type { DeliveryEngine } from './deliveries.js';
import { HttpError } from './http.js';
import { newAppId, newId } from './ids.js';
import { APPROVING_NUMBER, decidePayment, PHONE_NOT_FOUND_HINT } from './payment-rules.js';
import type { SandboxApp, SandboxSession, SandboxStore } from './store.js';
import { type initiateSchema, parseOr400, registerAppSchema } from './validation.js';

/** What registering an app takes (CONTRACT §4). */
export type RegisterAppInput = z.input<typeof registerAppSchema>;

/** The sandbox's operations, shared by the HTTP routes, the pay page and `createSandbox`. */
export class SandboxService {
  constructor(
    readonly store: SandboxStore,
    readonly deliveries: DeliveryEngine,
    private readonly baseUrl: () => string,
  ) {}

  registerApp(input: RegisterAppInput): SandboxApp {
    const valid = parseOr400(registerAppSchema, input);
    const app: SandboxApp = {
      app_id: valid.app_id ?? newAppId(),
      name: valid.name,
      callback_url: valid.callback_url,
      return_url: valid.return_url,
      webhook_secret: valid.webhook_secret ?? generateWebhookSecret(),
      verified: valid.verified,
      approved_numbers: valid.approved_numbers,
      created_at: new Date().toISOString(),
    };
    assertUsableSecret(app.webhook_secret);
    this.store.apps.set(app.app_id, app);
    return app;
  }

  /** `POST /api/checkouts/initiate`, honouring `Idempotency-Key`. */
  initiate(body: z.output<typeof initiateSchema>, idempotencyKey: string | undefined): SandboxSession {
    const app = this.store.apps.get(body.app_id);
    if (!app) throw new HttpError(404, 'unknown_app', `No application with app_id ${body.app_id}.`);
    const fingerprint = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    if (idempotencyKey !== undefined) {
      const seen = this.store.idempotency.get(`${app.app_id}:${idempotencyKey}`);
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
      created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.store.sessions.set(sessionId, session);
    if (idempotencyKey !== undefined) {
      this.store.idempotency.set(`${app.app_id}:${idempotencyKey}`, { fingerprint, session_id: sessionId });
    }
    return session;
  }

  /**
   * Acts as the customer: the same rules as the hosted page. Throws `phone_number_not_found`
   * (422) for a number an unverified app has not approved, 409 for a finished session.
   */
  complete(sessionId: string, action: 'success' | 'cancelled', phone?: string): SandboxSession {
    const session = this.store.sessions.get(sessionId);
    if (!session) throw new HttpError(404, 'unknown_session', `No session ${sessionId}.`);
    const app = this.store.apps.get(session.app_id);
    if (!app) throw new HttpError(404, 'unknown_app', `No application with app_id ${session.app_id}.`);
    if (session.status !== 'open') {
      throw new HttpError(409, 'session_finished', `Session ${sessionId} is already ${session.status}.`);
    }
    let status: 'success' | 'cancelled' = 'cancelled';
    if (action === 'success') {
      const decision = decidePayment(app, phone ?? APPROVING_NUMBER);
      if (decision === 'phone_number_not_found') {
        throw new HttpError(422, 'phone_number_not_found', 'Phone number not found', {
          hint: PHONE_NOT_FOUND_HINT,
        });
      }
      status = decision;
    }
    session.status = status;
    session.phone = phone;
    session.completed_at = new Date().toISOString();
    this.deliveries.enqueue(app, session);
    return session;
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

// Fails fast on a malformed secret rather than on the first delivery, with the very check
// that signing (and every receiver) applies.
function assertUsableSecret(secret: string) {
  try {
    signWebhook('', { secret });
  } catch {
    throw new HttpError(
      400,
      'invalid_request',
      'webhook_secret must be whsec_ followed by at least 24 bytes of base64.',
      {
        issues: [{ path: ['webhook_secret'], message: 'must be whsec_<base64 of at least 24 bytes>' }],
      },
    );
  }
}
