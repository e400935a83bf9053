import { HttpError } from './http.js';
import type { DeliveryState, SandboxDelivery, SandboxSession } from './model.js';

const SESSION_STATUSES = ['open', 'success', 'cancelled'] as const;
const DELIVERY_STATES: readonly DeliveryState[] = ['pending', 'delivered', 'failed', 'lost'];

/**
 * What the dashboard and the list routes filter on, one query parameter each: `app_id`,
 * `session_id`, `status` (the session's, or for a delivery its event's) and `state` (a
 * delivery's). Every filter applies wherever its field exists.
 */
export interface Filters {
  app_id?: string;
  session_id?: string;
  status?: (typeof SESSION_STATUSES)[number];
  state?: DeliveryState;
}

export { DELIVERY_STATES, SESSION_STATUSES };

/** Reads the filters of a query string; an empty value means "any"; an unknown value is a 400. */
export function readFilters(query: URLSearchParams): Filters {
  const value = (name: string) => query.get(name)?.trim() || undefined;
  const filters: Filters = { app_id: value('app_id'), session_id: value('session_id') };
  const status = value('status');
  if (status !== undefined) {
    if (!(SESSION_STATUSES as readonly string[]).includes(status)) {
      throw new HttpError(400, 'invalid_request', `status must be one of ${SESSION_STATUSES.join(', ')}.`, {
        issues: [{ path: ['status'], message: `must be one of ${SESSION_STATUSES.join(', ')}` }],
      });
    }
    filters.status = status as Filters['status'];
  }
  const state = value('state');
  if (state !== undefined) {
    if (!(DELIVERY_STATES as readonly string[]).includes(state)) {
      throw new HttpError(400, 'invalid_request', `state must be one of ${DELIVERY_STATES.join(', ')}.`, {
        issues: [{ path: ['state'], message: `must be one of ${DELIVERY_STATES.join(', ')}` }],
      });
    }
    filters.state = state as DeliveryState;
  }
  return filters;
}

/**
 * Whether a session passes every filter that applies to a session.
 *
 * @example
 * paginate(sessions, (s) => s.session_id, sessionMatches({ status: 'open' }), { limit: 50 });
 */
export function sessionMatches(f: Filters): (s: SandboxSession) => boolean {
  return (s) =>
    (f.app_id === undefined || s.app_id === f.app_id) &&
    (f.session_id === undefined || s.session_id === f.session_id) &&
    (f.status === undefined || s.status === f.status);
}

/**
 * Whether a delivery passes every filter (`status` is its event's).
 *
 * @example
 * paginate(deliveries, (d) => d.id, deliveryMatches({ state: 'failed' }), { limit: 50 });
 */
export function deliveryMatches(f: Filters): (d: SandboxDelivery) => boolean {
  return (d) =>
    (f.app_id === undefined || d.app_id === f.app_id) &&
    (f.session_id === undefined || d.session_id === f.session_id) &&
    (f.status === undefined || d.event.status === f.status) &&
    (f.state === undefined || d.state === f.state);
}

/** The filters as a query string (`?app_id=…`), for links that keep them. */
export function filterQuery(f: Filters): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(f)) if (value !== undefined) query.set(key, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
