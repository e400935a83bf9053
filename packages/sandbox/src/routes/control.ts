import type { IncomingMessage, ServerResponse } from 'node:http';
import { filterDeliveries, filterSessions, readFilters } from '../filters.js';
import { HttpError, readFields, sendJson } from '../http.js';
import type { SandboxService } from '../service.js';
import { completeSchema, parseOr400, redeliverSchema } from '../validation.js';
import type { LiveEvents } from './live-events.js';

/** The control API under `/_sandbox` (CONTRACT §4). Returns false when no route matched. */
export async function control(
  service: SandboxService,
  live: LiveEvents,
  req: IncomingMessage,
  res: ServerResponse,
  path: string[],
  query: URLSearchParams,
): Promise<boolean> {
  const { store } = service;
  const [resource, id, action, ...rest] = path;
  if (rest.length > 0) return false;
  const route = `${req.method ?? 'GET'} ${resource ?? ''}${id === undefined ? '' : '/:id'}${action ? `/${action}` : ''}`;
  switch (route) {
    case 'POST apps':
      sendJson(res, 201, service.registerApp((await readFields(req)) as never));
      return true;
    case 'GET apps':
      sendJson(res, 200, { data: store.list(store.apps) });
      return true;
    case 'GET sessions':
      sendJson(res, 200, { data: filterSessions(store.list(store.sessions), readFilters(query)) });
      return true;
    case 'GET sessions/:id': {
      const session = store.sessions.get(id!);
      if (!session) throw new HttpError(404, 'unknown_session', `No session ${id}.`);
      sendJson(res, 200, session);
      return true;
    }
    case 'POST sessions/:id/complete': {
      const input = parseOr400(completeSchema, await readFields(req));
      const { session, delivery } = service.complete(id!, input);
      sendJson(res, 200, { ...session, delivery_id: delivery.id });
      return true;
    }
    case 'GET deliveries':
      sendJson(res, 200, { data: filterDeliveries(store.list(store.deliveries), readFilters(query)) });
      return true;
    case 'GET deliveries/:id': {
      const delivery = store.deliveries.get(id!);
      if (!delivery) throw new HttpError(404, 'unknown_delivery', `No delivery ${id}.`);
      sendJson(res, 200, delivery);
      return true;
    }
    case 'POST deliveries/:id/redeliver': {
      const delivery = store.deliveries.get(id!);
      if (!delivery) throw new HttpError(404, 'unknown_delivery', `No delivery ${id}.`);
      // The dashboard's buttons post a form elsewhere (routes/redeliver-form.ts): JSON only here.
      const input = parseOr400(redeliverSchema, await readFields(req));
      const sent = service.deliveries.redeliver(delivery, { newId: input.new_id });
      sendJson(res, 202, sent, { location: `/_sandbox/deliveries/${encodeURIComponent(sent.id)}` });
      return true;
    }
    case 'GET events':
      live.serve(req, res);
      return true;
    default:
      return false;
  }
}
