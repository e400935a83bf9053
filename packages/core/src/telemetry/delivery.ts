/**
 * One delivery (or reconciled event) as telemetry sees it: an INTERNAL span around the whole
 * of it, the handlers run inside that span's context, and two metrics at the end.
 *
 * INTERNAL, not SERVER or CONSUMER: the framework's HTTP instrumentation already records the
 * request as a SERVER span, and this one is its child. A second entry span (SERVER or
 * CONSUMER) nested inside it would be counted as a second incoming request by span-derived
 * RED metrics and service graphs; and for the reconciler there is no incoming message at all.
 */
import type { Attributes, Counter, Histogram, Span } from '@opentelemetry/api';
import { isKnownEventKind } from '../events/schemas.js';
import type { EventSource, PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import * as N from './names.js';
import { quietly, type Telemetry } from './source.js';

/**
 * A receiver's instruments.
 *
 * @example
 * metrics.deliveries.add(1, { 'pasis.webhook.outcome': 'handled' });
 */
export interface WebhookMetrics {
  deliveries: Counter;
  handlerDuration: Histogram;
}

const seconds = (fromMs: number) => (performance.now() - fromMs) / 1000;

/**
 * How a delivery ended, as telemetry records it: the receiver's result, in the shape of
 * its `ReceiveResult` (telemetry imports nothing from the receiver: the receiver calls it).
 *
 * @example
 * observed.end({ ok: false, code: 'store_unavailable' }, 503);
 */
export type DeliveryResult = { ok: true; outcome: string } | { ok: false; code: string };

/**
 * How the delivery's event is trusted, in the shape of the receiver's `ReceiveMeta`.
 *
 * @example
 * observed.event(event, { deliveryId: 'msg_1', verified: true });
 */
export interface DeliveryTrust {
  deliveryId: string;
  verified?: boolean;
  confirmed?: boolean;
}

/**
 * What is recorded about one delivery while it runs; ended once, with its result.
 *
 * @example
 * observed?.event(event, meta); const result = await dispatch(event, meta, log, observed); observed?.end(result);
 */
export class DeliveryObservation {
  readonly #on: Telemetry<WebhookMetrics>;
  readonly #span: Span | undefined;
  readonly #source: EventSource;
  #kind: string | undefined;
  #deliveryId: string | undefined;
  #sessionId: string | undefined;
  #verified: boolean | undefined;
  #confirmed: boolean | undefined;
  #storeStarted: number | undefined;
  #storeSec: number | undefined;
  #handlerSec: number | undefined;

  constructor(on: Telemetry<WebhookMetrics>, source: EventSource) {
    this.#on = on;
    this.#source = source;
    this.#span = on.tracer?.startSpan('pasis.webhook', {
      kind: on.api.SpanKind.INTERNAL,
      attributes: { [N.WEBHOOK_SOURCE]: source },
    });
  }

  /** The delivery's id when only its header is known (a rejected delivery). */
  identify(deliveryId: string | undefined): void {
    this.#deliveryId ??= deliveryId;
  }

  /** The event about to be dispatched, and how it is trusted. */
  event(event: PasisEvent | UnknownPasisEvent, meta: DeliveryTrust): void {
    // Only known kinds name spans and series: an unsigned body could say anything.
    const known = isKnownEventKind(event.kind);
    this.#kind = known ? event.kind : N.OTHER;
    if (known && typeof event.session_id === 'string') this.#sessionId = event.session_id;
    this.#deliveryId = meta.deliveryId;
    this.#verified = meta.verified === true;
    this.#confirmed = meta.confirmed === true;
  }

  /** Runs `fn` inside the span's context, so that spans started in it are its children. */
  run<T>(fn: () => T): T {
    const span = this.#span;
    if (span === undefined) return fn();
    const { context, trace } = this.#on.api;
    return context.with(trace.setSpan(context.active(), span), fn);
  }

  /** The claim in the dedupe store starts. */
  storeStarted(): void {
    this.#storeStarted = performance.now();
  }

  /** The claim has ended (completed or released): the store's time is the rest of it. */
  storeEnded(): void {
    if (this.#storeStarted === undefined) return;
    this.#storeSec = Math.max(0, seconds(this.#storeStarted) - (this.#handlerSec ?? 0));
  }

  /** Runs the handlers through `fn`, timing them (their promise, when they return one). */
  timeHandler(fn: () => unknown): unknown {
    const started = performance.now();
    const done = () => {
      this.#handlerSec = seconds(started);
    };
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      done();
      throw error;
    }
    if (!isPromiseLike(result)) {
      done();
      return result;
    }
    return result.then(
      (value) => {
        done();
        return value;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  /**
   * Records the outcome, counts the delivery and ends the span. `status` is the HTTP status
   * the outcome is answered with (core's table): 5xx marks the span as an error. Never throws.
   */
  end(result: DeliveryResult, status: number): void {
    quietly(() => this.#end(result, status));
  }

  #end(result: DeliveryResult, status: number): void {
    const outcome = result.ok ? result.outcome : result.code;
    const metrics = this.#on.metrics;
    if (metrics !== undefined) {
      const attributes: Attributes = { [N.WEBHOOK_OUTCOME]: outcome, [N.WEBHOOK_SOURCE]: this.#source };
      if (this.#kind !== undefined) attributes[N.WEBHOOK_KIND] = this.#kind;
      if (!result.ok) attributes[N.ERROR_TYPE] = result.code;
      metrics.deliveries.add(1, attributes);
      if (this.#handlerSec !== undefined) metrics.handlerDuration.record(this.#handlerSec, attributes);
    }
    const span = this.#span;
    if (span === undefined) return;
    if (span.isRecording()) this.#annotate(span, result, outcome, status);
    span.end();
  }

  #annotate(span: Span, result: DeliveryResult, outcome: string, status: number): void {
    const attributes: Attributes = { [N.WEBHOOK_OUTCOME]: outcome };
    const set = (key: string, value: string | number | boolean | undefined) => {
      if (value !== undefined) attributes[key] = value;
    };
    set(N.WEBHOOK_KIND, this.#kind);
    set(N.WEBHOOK_DELIVERY_ID, this.#deliveryId);
    set(N.PASIS_SESSION_ID, this.#sessionId);
    set(N.WEBHOOK_VERIFIED, this.#verified);
    set(N.WEBHOOK_CONFIRMED, this.#confirmed);
    // What the store said, in its own words: a handler ran only under a claim.
    set(
      N.WEBHOOK_CLAIM,
      this.#handlerSec !== undefined
        ? 'claimed'
        : outcome === 'duplicate'
          ? 'completed'
          : outcome === 'in_progress'
            ? 'in_progress'
            : undefined,
    );
    set(N.WEBHOOK_STORE_DURATION, this.#storeSec);
    set(N.WEBHOOK_HANDLER_DURATION, this.#handlerSec);
    if (!result.ok) set(N.ERROR_TYPE, result.code);
    span.setAttributes(attributes); // one call: the SDK checks limits per call
    if (this.#kind !== undefined) span.updateName(`pasis.webhook ${this.#kind}`);
    // As for an HTTP server span: a delivery refused for what it is (4xx) is not our error;
    // one we failed to handle (5xx: the handler, the store, Pasis unreachable) is. Only the
    // code is recorded, never a message: an app's error text may carry anything.
    if (!result.ok && status >= 500) {
      span.setStatus({ code: this.#on.api.SpanStatusCode.ERROR, message: result.code });
    }
  }
}
