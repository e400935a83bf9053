import { silentLogger } from '../../logging/logger.js';
import { createWebhookHandler } from '../../webhooks/receiver.js';
import type { WebhookReceiver } from '../../webhooks/receiver-types.js';
import type { WebhookHandlerOptions } from '../../webhooks/types.js';
import { CONFORMANCE_MAX_BODY_BYTES } from './limits.js';

/** Core's own receivers, one per situation: an adapter's answers must equal theirs. */
export interface ReferenceReceivers {
  /** Handles every delivery (and answers every bad one). */
  plain: WebhookReceiver;
  /** Its handler always fails: `handler_failed`. */
  failing: WebhookReceiver;
  /** Its store says another worker holds the delivery: `in_progress`. */
  busy: WebhookReceiver;
  /** Its store says the delivery was handled: `duplicate`. */
  done: WebhookReceiver;
}

/** The reference receivers for the suite's secret and limit. */
export function referenceReceivers(secret: string): ReferenceReceivers {
  const make = (extra: Partial<WebhookHandlerOptions>) =>
    createWebhookHandler({
      secret,
      maxBodyBytes: CONFORMANCE_MAX_BODY_BYTES,
      logger: silentLogger,
      on: () => {},
      ...extra,
    });
  const fixed = (state: 'in_progress' | 'completed') => ({
    claim: () => ({ state }),
    complete() {},
    release() {},
  });
  return {
    plain: make({}),
    failing: make({ on: () => Promise.reject(new Error('failing')) }),
    busy: make({ store: fixed('in_progress') }),
    done: make({ store: fixed('completed') }),
  };
}
