import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readFields, redirect, sendHtml } from '../http.js';
import { PHONE_NOT_FOUND_HINT } from '../payment-rules.js';
import type { SandboxService } from '../service.js';
import { renderMessage, renderPayPage } from '../views/pay-page.js';

/** `GET /pay/:id` renders the hosted page; `POST /pay/:id` pays or cancels, then 303 to the return URL. */
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
  if (req.method !== 'POST') return sendHtml(res, 200, renderPayPage({ app, session }));

  const fields = await readFields(req);
  const phone = typeof fields.phone === 'string' ? fields.phone.trim() : '';
  const action = fields.action === 'cancel' ? 'cancelled' : 'success';
  if (action === 'success' && phone === '') {
    return sendHtml(
      res,
      422,
      renderPayPage({ app, session, error: { title: 'Enter your phone number to pay.' } }),
    );
  }
  try {
    const finished = service.complete(sessionId, action, action === 'success' ? phone : undefined);
    return redirect(res, service.returnUrl(finished));
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    if (error.code === 'phone_number_not_found') {
      const state = {
        app,
        session,
        phone,
        error: { title: 'Phone number not found', hint: PHONE_NOT_FOUND_HINT },
      };
      return sendHtml(res, 422, renderPayPage(state));
    }
    if (error.code === 'session_finished') return sendHtml(res, 409, renderPayPage({ app, session }));
    throw error;
  }
}
