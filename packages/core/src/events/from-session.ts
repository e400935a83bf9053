/**
 * The events a session stands for, built from Pasis's own answer to a retrieve (CONTRACT
 * §1b) and from nothing else. Confirm-by-fetch and the reconciler both build them here, so
 * both hand the handlers the same event and claim the same dedupe key.
 */
import type { RetrievedCheckoutSession } from '../client/retrieved-session.js';
import type { SessionCreatedEvent, SessionProcessedEvent } from './types.js';

/**
 * The `session:processed` event a session that has ended stands for, built from Pasis's
 * answer alone (`completed_at` included when Pasis sent it); `undefined` while it is open.
 * The webhook's receiver (confirm-by-fetch) and the reconciler both build it here, so both
 * hand the handlers the same event and claim the same dedupe key.
 *
 * @example
 * const event = sessionProcessedEvent(await pasis.checkout.sessions.retrieve(id));
 * if (event) await webhooks.receive(event, { source: 'reconcile', deliveryId: `reconcile:${id}`, confirmed: true });
 */
export function sessionProcessedEvent(session: RetrievedCheckoutSession): SessionProcessedEvent | undefined {
  if (session.status === 'open') return undefined;
  const event: SessionProcessedEvent = {
    kind: 'session:processed',
    session_id: session.session_id,
    amount: session.amount,
    status: session.status,
  };
  if (session.completed_at !== undefined) event.completed_at = session.completed_at;
  return event;
}

/**
 * The `session:created` event a known session stands for: Pasis's `session_id`, `amount`,
 * and `payment_link` / `created_at` when it sent them. Internal: confirm-by-fetch's.
 *
 * @example
 * sessionCreatedEvent(await pasis.checkout.sessions.retrieve(id)); // { kind: 'session:created', … }
 */
export function sessionCreatedEvent(session: RetrievedCheckoutSession): SessionCreatedEvent {
  const created: SessionCreatedEvent = {
    kind: 'session:created',
    session_id: session.session_id,
    amount: session.amount,
  };
  if (session.payment_link !== undefined) created.payment_link = session.payment_link;
  if (session.created_at !== undefined) created.created_at = session.created_at;
  return created;
}
