import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readFields, redirect, sendJson, wantsHtml } from '../http.js';
import type { SandboxService } from '../service.js';
import { completeSchema, initiateSchema, parseOr400 } from '../validation.js';

/** The session as the provider answers it (CONTRACT §1). */
function sessionResponse(session: {
  session_id: string;
  amount: number;
  payment_link: string;
  created_at: string;
}) {
  return {
    session_id: session.session_id,
    amount: session.amount,
    kind: 'session:created',
    payment_link: session.payment_link,
    created_at: session.created_at,
  };
}

/** `POST /api/checkouts/initiate`. */
export async function initiate(service: SandboxService, req: IncomingMessage, res: ServerResponse) {
  const body = parseOr400(initiateSchema, await readFields(req));
  const key = req.headers['idempotency-key'];
  const session = service.initiate(body, typeof key === 'string' && key !== '' ? key : undefined);
  sendJson(res, 200, sessionResponse(session));
}

/** The control API under `/_sandbox` (CONTRACT §4). Returns false when no route matched. */
export async function control(
  service: SandboxService,
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
): Promise<boolean> {
  const { store } = service;
  const [resource, id, action] = path;
  const route = `${req.method ?? 'GET'} ${resource ?? ''}${id === undefined ? '' : '/:id'}${action ? `/${action}` : ''}`;
  switch (route) {
    case 'POST apps':
      sendJson(res, 201, service.registerApp((await readFields(req)) as never));
      return true;
    case 'GET apps':
      sendJson(res, 200, { data: store.list(store.apps) });
      return true;
    case 'GET sessions':
      sendJson(res, 200, { data: store.list(store.sessions) });
      return true;
    case 'GET sessions/:id': {
      const session = store.sessions.get(id!);
      if (!session) throw new HttpError(404, 'unknown_session', `No session ${id}.`);
      sendJson(res, 200, session);
      return true;
    }
    case 'POST sessions/:id/complete': {
      const input = parseOr400(completeSchema, await readFields(req));
      sendJson(res, 200, service.complete(id!, input.status, input.phone));
      return true;
    }
    case 'GET deliveries':
      sendJson(res, 200, { data: store.list(store.deliveries) });
      return true;
    case 'POST deliveries/:id/redeliver': {
      const delivery = store.deliveries.get(id!);
      if (!delivery) throw new HttpError(404, 'unknown_delivery', `No delivery ${id}.`);
      // The dashboard's button posts a form: send the person back to the dashboard.
      const fromForm = wantsHtml(req);
      await readFields(req);
      service.deliveries.redeliver(delivery);
      if (fromForm) redirect(res, '/');
      else sendJson(res, 202, delivery);
      return true;
    }
    default:
      return false;
  }
}
