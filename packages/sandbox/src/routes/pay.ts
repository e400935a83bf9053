import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_WAIT_MS } from '../durations.js';
import { HttpError, readFields, redirect, sendHtml } from '../http.js';
import { WEBHOOK_BEHAVIOURS, type WebhookBehaviour } from '../model.js';
import { PAYMENT_PENDING_MESSAGE, PHONE_NOT_FOUND_HINT } from '../payment-rules.js';
import type { SandboxService } from '../service.js';
import { renderMessage, renderPayPage } from '../views/pay-page.js';

/** The sandbox-only fields of the form: which behaviour, and (for `delay`) how long. */
function webhookChoice(fields: Record<string, unknown>, service: SandboxService) {
  const raw =
    typeof fields.webhook === 'string' && fields.webhook !== '' ? fields.webhook : service.defaults.webhook;
  if (!(WEBHOOK_BEHAVIOURS as readonly string[]).includes(raw))
    return { error: `Unknown webhook behaviour "${raw}".` };
  const webhook = raw as WebhookBehaviour;
  if (webhook !== 'delay') return { webhook };
  const text = typeof fields.delay_ms === 'string' ? fields.delay_ms.trim() : '';
  if (text === '') return { webhook, delay_ms: service.defaults.webhookDelayMs };
  const delay = Number(text);
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_WAIT_MS) {
    return { error: 'The delay must be a whole number of milliseconds, at most 86400000 (24 h).' };
  }
  return { webhook, delay_ms: delay };
}

/**
 * `GET /pay/:id` renders the hosted page; `POST /pay/:id` pays or cancels, then 303 to the
 * return URL, or back to the page while the payer's phone shows the prompt.
 */
export async function payPage(
  service: SandboxService,
  req: IncomingMessage,
  res: ServerResponse,
  sessionId: string,
) {
  const session = service.store.sessions.get(sessionId);
  const app = session && service.store.apps.get(session.app_id);
  if (!session || !app) {
    return sendHtml(
      res,
      404,
      renderMessage('Checkout not found', 'This payment link is unknown or has expired.'),
    );
  }
  const base = {
    app,
    session,
    webhook: { behaviour: service.defaults.webhook, delayMs: service.defaults.webhookDelayMs },
    ...(session.status === 'open' ? {} : { returnUrl: service.returnUrl(session) }),
  };
  if (req.method !== 'POST') return sendHtml(res, 200, renderPayPage(base));
  const self = `/pay/${encodeURIComponent(sessionId)}`;
  // Paid already, awaiting approval (a second click, the back button): the waiting page.
  if (session.approval) return redirect(res, self);

  const fields = await readFields(req);
  const phone = typeof fields.phone === 'string' ? fields.phone.trim() : '';
  const action = fields.action === 'cancel' ? 'cancelled' : 'success';
  const choice = webhookChoice(fields, service);
  if (choice.error !== undefined) {
    return sendHtml(res, 422, renderPayPage({ ...base, phone, error: { title: choice.error } }));
  }
  if (action === 'success' && phone === '') {
    return sendHtml(
      res,
      422,
      renderPayPage({ ...base, error: { title: 'Enter your phone number to pay.' } }),
    );
  }
  try {
    const { session: done, delivery } = service.complete(sessionId, {
      status: action,
      ...(action === 'success' ? { phone } : {}),
      webhook: choice.webhook,
      ...(choice.delay_ms !== undefined ? { delay_ms: choice.delay_ms } : {}),
    });
    return redirect(res, delivery ? service.returnUrl(done) : self);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.code === 'phone_number_not_found') {
      const state = {
        ...base,
        phone,
        error: { title: 'Phone number not found', hint: PHONE_NOT_FOUND_HINT },
      };
      return sendHtml(res, 422, renderPayPage(state));
    }
    if (error.code === 'payment_pending') {
      const hint =
        'Approve or decline the earlier payment on your phone first, or wait until its prompt expires.';
      return sendHtml(
        res,
        409,
        renderPayPage({ ...base, phone, error: { title: PAYMENT_PENDING_MESSAGE, hint } }),
      );
    }
    if (error.code === 'session_finished') return sendHtml(res, 409, renderPayPage(base));
    throw error;
  }
}
