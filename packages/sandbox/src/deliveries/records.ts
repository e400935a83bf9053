import type { SessionProcessedEvent } from '@pasis/core';
import { newWebhookId } from '@pasis/core/testing';
import { newId } from '../ids.js';
import type { SandboxApp, SandboxDelivery, SandboxSession, WebhookBehaviour } from '../model.js';

/**
 * The delivery of a finished session's event, not yet sent: `lost` for `lose`, due after
 * `delayMs` for `delay`, due now otherwise.
 *
 * @example
 * const delivery = newDelivery(app, session, 'delay', 30_000); // next_retry_at: in 30 s
 */
export function newDelivery(
  app: SandboxApp,
  session: SandboxSession,
  behaviour: WebhookBehaviour,
  delayMs = 0,
): SandboxDelivery {
  const event: SessionProcessedEvent = {
    kind: 'session:processed',
    session_id: session.session_id,
    amount: session.amount,
    status: session.status === 'success' ? 'success' : 'cancelled',
  };
  const now = Date.now();
  const delivery: SandboxDelivery = {
    id: newId('dlv'),
    webhook_id: newWebhookId(),
    app_id: app.app_id,
    session_id: session.session_id,
    event,
    url: app.callback_url,
    behaviour,
    state: behaviour === 'lose' ? 'lost' : 'pending',
    attempts: [],
    created_at: new Date(now).toISOString(),
  };
  if (behaviour === 'delay') {
    delivery.delay_ms = delayMs;
    delivery.next_retry_at = new Date(now + delayMs).toISOString();
  }
  return delivery;
}

/**
 * A fresh delivery of the very same event under a new `webhook-id`, linked to the original
 * by `redelivery_of`: never a different outcome.
 *
 * @example
 * const copy = freshCopy(delivery); // copy.event deep-equals delivery.event
 */
export function freshCopy(delivery: SandboxDelivery): SandboxDelivery {
  return {
    ...delivery,
    id: newId('dlv'),
    webhook_id: newWebhookId(),
    event: structuredClone(delivery.event),
    behaviour: 'deliver',
    delay_ms: undefined,
    redelivery_of: delivery.id,
    state: 'pending',
    next_retry_at: undefined,
    attempts: [],
    created_at: new Date().toISOString(),
  };
}
