import type { z } from 'zod';
import { DELIVERY_STATES, type SandboxDelivery, type SandboxSession, SESSION_STATUSES } from './model.js';
import { filtersSchema, parseOr400 } from './validation.js';

/**
 * What the dashboard and the list routes filter on, one query parameter each: `app_id`,
 * `session_id`, `status` (the session's, or for a delivery its event's) and `state` (a
 * delivery's). Every filter applies wherever its field exists.
 */
export type Filters = z.output<typeof filtersSchema>;

export { DELIVERY_STATES, SESSION_STATUSES };

/**
 * Reads the filters of a query string through {@link filtersSchema}; an empty value means
 * "any"; an unknown value is a 400 `invalid_request` naming the parameter.
 *
 * @example
 * readFilters(new URLSearchParams('status=open&state=')); // { status: 'open' }
 */
export function readFilters(query: URLSearchParams): Filters {
  const value = (name: string) => query.get(name)?.trim() || undefined;
  return parseOr400(filtersSchema, {
    app_id: value('app_id'),
    session_id: value('session_id'),
    status: value('status'),
    state: value('state'),
  });
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
