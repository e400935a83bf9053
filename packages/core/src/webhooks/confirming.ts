import type { PasisClient } from '../client/create-client.js';
import type { PasisEvent } from '../events/types.js';
import { confirmEvent } from './confirm.js';

/**
 * The receiver's side of confirm-by-fetch: {@link confirmEvent} with one retrieve in flight
 * per session at a time. A burst of copies of one event (Pasis's concurrent retries, or a
 * flood of forgeries naming one session) costs Pasis one request, not one each.
 */
export function createConfirmer(client: Pick<PasisClient, 'checkout'>) {
  const inFlight = new Map<string, Promise<PasisEvent>>();
  return function confirm(event: PasisEvent): Promise<PasisEvent> {
    // The claimed status and amount are part of the key: a forgery must not ride on (or
    // poison) the answer to the genuine event's check, and vice versa.
    const key = `${event.kind}\u0000${event.session_id}\u0000${String(event.status)}\u0000${event.amount}`;
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = confirmEvent(client, event).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
