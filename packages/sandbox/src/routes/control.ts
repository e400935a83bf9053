import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliveryMatches, readFilters, sessionMatches } from '../filters.js';
import { HttpError, readFields, sendJson } from '../http.js';
import { type Page, paginate, readPage } from '../paging.js';
import type { SandboxService } from '../service.js';
import { completeSchema, parseOr400, redeliverSchema } from '../validation.js';
import type { LiveEvents } from './live-events.js';

/** A list answer: `{ data, has_more, next_cursor? }` (the total stays on the dashboard). */
function listed<T>({ total: _, ...page }: Page<T>) {
  return page;
}

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
      sendJson(
        res,
        200,
        listed(
          paginate(
            store.list(store.apps),
            (a) => a.app_id,
            () => true,
            readPage(query),
          ),
        ),
      );
      return true;
    case 'GET sessions': {
      const filters = readFilters(query);
      const page = paginate(
        store.list(store.sessions),
        (s) => s.session_id,
        sessionMatches(filters),
        readPage(query),
      );
      sendJson(res, 200, listed(page));
      return true;
    }
    case 'GET sessions/:id': {
      const session = store.sessions.get(id!);
      if (!session) throw new HttpError(404, 'unknown_session', `No session ${id}.`);
      sendJson(res, 200, session);
      return true;
    }
    case 'POST sessions/:id/complete': {
      const input = parseOr400(completeSchema, await readFields(req));
      const { session, delivery } = service.complete(id!, input);
      // Awaiting approval on the payer's phone: accepted, not ended (no delivery yet).
      if (!delivery) sendJson(res, 202, session);
      else sendJson(res, 200, { ...session, delivery_id: delivery.id });
      return true;
    }
    case 'GET deliveries': {
      const filters = readFilters(query);
      const page = paginate(
        store.list(store.deliveries),
        (d) => d.id,
        deliveryMatches(filters),
        readPage(query),
      );
      sendJson(res, 200, listed(page));
      return true;
    }
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
    case 'GET rate-limit':
      sendJson(res, 200, service.rateLimit.summary());
      return true;
    case 'GET events':
      live.serve(req, res);
      return true;
    default:
      return false;
  }
}
