/**
 * A receiver's telemetry: its instruments, and where each delivery's observation starts
 * (see delivery.ts for what one records).
 */
import type { Meter } from '@opentelemetry/api';
import type { EventSource } from '../events/types.js';
import { DeliveryObservation, type WebhookMetrics } from './delivery.js';
import * as N from './names.js';
import { type ResolvedTelemetryOptions, type TelemetrySource, telemetrySource } from './source.js';

/** A receiver's telemetry: its providers' tracer and instruments, when any is on. */
export type WebhookTelemetry = TelemetrySource<WebhookMetrics>;

function defineWebhookMetrics(meter: Meter): WebhookMetrics {
  return {
    deliveries: meter.createCounter(N.METRIC_DELIVERIES, {
      description: 'Webhook deliveries and reconciled events, by outcome, kind and source.',
      unit: '{delivery}',
    }),
    handlerDuration: meter.createHistogram(N.METRIC_HANDLER_DURATION, {
      description: "How long the app's handlers ran for one delivery.",
      unit: 's',
      advice: { explicitBucketBoundaries: N.DURATION_BUCKETS },
    }),
  };
}

/**
 * The telemetry of one receiver (`createWebhookHandler`).
 *
 * @example
 * const telemetry = createWebhookTelemetry(resolved.telemetry); // once per receiver
 */
export function createWebhookTelemetry(options: ResolvedTelemetryOptions): WebhookTelemetry {
  return telemetrySource(options, defineWebhookMetrics);
}

/**
 * Starts observing one delivery; `undefined` (nothing to do) when telemetry is off.
 *
 * @example
 * const observed = observeDelivery(telemetry, 'reconcile'); observed?.end(result);
 */
export function observeDelivery(
  telemetry: WebhookTelemetry,
  source: EventSource,
): DeliveryObservation | undefined {
  const on = telemetry();
  if (on === undefined) return undefined;
  try {
    return new DeliveryObservation(on, source);
  } catch {
    return undefined; // a provider that breaks its contract never breaks a delivery
  }
}

/**
 * Runs one delivery's work inside its span when telemetry is on, or as it is when it is off:
 * `fn` gets the observation (or `undefined`) to record into.
 *
 * @example
 * const handle = (input) => withDelivery(telemetry, 'webhook', (observed) => answer(input, observed));
 */
export function withDelivery<T>(
  telemetry: WebhookTelemetry,
  source: EventSource,
  fn: (observed: DeliveryObservation | undefined) => T,
): T {
  const observed = observeDelivery(telemetry, source);
  return observed === undefined ? fn(undefined) : observed.run(() => fn(observed));
}
