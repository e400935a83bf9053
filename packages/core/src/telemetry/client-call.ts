/**
 * One call to Pasis (`create`, `retrieve`) as telemetry sees it: a CLIENT span over the
 * whole call, retries included, following the HTTP semantic conventions (name
 * `{method} {url.template}`, `http.request.method`, `server.*`, `url.full`,
 * `http.response.status_code`, `http.request.resend_count`, `error.type`), one span event per
 * retry, and `http.client.request.duration` per HTTP attempt (the conventions' "physical"
 * request, each with its own status). The attempts run inside the span's context, so an
 * HTTP instrumentation (undici's) nests its own spans under it.
 */
import type { Attributes, Histogram, Meter, Span } from '@opentelemetry/api';
import { isPasisError } from '../errors.js';
import * as N from './names.js';
import {
  quietly,
  type ResolvedTelemetryOptions,
  type Telemetry,
  type TelemetrySource,
  telemetrySource,
} from './source.js';

/** A client's instruments. */
export interface ClientMetrics {
  requestDuration: Histogram;
}

/** A client's telemetry. */
export type ClientTelemetry = TelemetrySource<ClientMetrics>;

function defineClientMetrics(meter: Meter): ClientMetrics {
  return {
    requestDuration: meter.createHistogram(N.METRIC_HTTP_CLIENT_DURATION, {
      description: 'Duration of HTTP client requests.',
      unit: 's',
      advice: { explicitBucketBoundaries: N.DURATION_BUCKETS },
    }),
  };
}

/**
 * The telemetry of one client (`createPasisClient`).
 *
 * @example
 * const telemetry = createClientTelemetry(resolved.telemetry); // once per client
 */
export function createClientTelemetry(options: ResolvedTelemetryOptions): ClientTelemetry {
  return telemetrySource(options, defineClientMetrics);
}

/** What a call is, for its span and its metric. */
export interface CallTarget {
  method: string;
  url: URL;
  /** The path with its variable parts named (`/api/checkouts/{session_id}`). */
  urlTemplate?: string;
}

/**
 * Starts observing one call; `undefined` (nothing to do) when telemetry is off.
 *
 * @example
 * const call = observeCall(telemetry, { method: 'GET', url, urlTemplate: '/api/checkouts/{session_id}' });
 */
export function observeCall(telemetry: ClientTelemetry, target: CallTarget): ClientCall | undefined {
  const on = telemetry();
  if (on === undefined) return undefined;
  try {
    return new ClientCall(on, target);
  } catch {
    return undefined; // a provider that breaks its contract never breaks a call
  }
}

/**
 * `url.full` without the query's values: the only one, `app_id`, is what authenticates a
 * create (CONTRACT §1 has no other credential), so it is kept out of every span.
 *
 * @example
 * redactedUrl(new URL('https://checkout.pasis.rw/api/checkouts/s1?app_id=a1')); // '…/s1?app_id=REDACTED'
 */
export function redactedUrl(url: URL): string {
  if (url.search === '') return url.href;
  const copy = new URL(url.href);
  for (const key of new Set(copy.searchParams.keys())) copy.searchParams.set(key, N.REDACTED);
  return copy.href;
}

/** `error.type` per the conventions: the status when it is an error, else a low-cardinality code. */
function errorType(status: number | undefined, error: unknown): string | undefined {
  if (status !== undefined && status >= 400) return String(status);
  if (error === undefined) return undefined;
  return isPasisError(error) ? error.code : N.OTHER;
}

/**
 * What is recorded about one call while it runs.
 *
 * @example
 * return call === undefined ? loop() : call.run(() => loop(call));
 */
export class ClientCall {
  readonly #on: Telemetry<ClientMetrics>;
  readonly #span: Span | undefined;
  readonly #attributes: Attributes;
  #resends = 0;
  #status: number | undefined;

  constructor(on: Telemetry<ClientMetrics>, target: CallTarget) {
    this.#on = on;
    const { url } = target;
    this.#attributes = {
      [N.HTTP_REQUEST_METHOD]: target.method,
      [N.SERVER_ADDRESS]: url.hostname,
      [N.SERVER_PORT]: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
    };
    if (target.urlTemplate !== undefined) this.#attributes[N.URL_TEMPLATE] = target.urlTemplate;
    this.#span = on.tracer?.startSpan(
      target.urlTemplate === undefined ? target.method : `${target.method} ${target.urlTemplate}`,
      {
        kind: on.api.SpanKind.CLIENT,
        attributes: { ...this.#attributes, [N.URL_FULL]: redactedUrl(url) },
      },
    );
  }

  /** Runs the call inside the span's context; ends the span with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const span = this.#span;
    if (span === undefined) return fn(); // metrics only: they are recorded per attempt
    const { context, trace } = this.#on.api;
    return context.with(trace.setSpan(context.active(), span), fn).then(
      (value) => {
        quietly(() => this.#end(value, undefined));
        return value;
      },
      (error: unknown) => {
        quietly(() => this.#end(undefined, error));
        throw error;
      },
    );
  }

  /** The clock attempts are timed with, in milliseconds. */
  now(): number {
    return performance.now();
  }

  /** One HTTP attempt ended: with an answer (`status`) or without one (`error`). Never throws. */
  attempt(startedMs: number, status: number | undefined, error?: unknown): void {
    quietly(() => this.#attempt(startedMs, status, error));
  }

  /** The call will be sent again after `delayMs`, because of `error`. Never throws. */
  retry(delayMs: number, error: unknown): void {
    this.#resends++;
    quietly(() => this.#retry(delayMs, error));
  }

  #attempt(startedMs: number, status: number | undefined, error: unknown): void {
    const answered = status ?? (isPasisError(error) ? error.status : undefined);
    if (answered !== undefined) this.#status = answered;
    const histogram = this.#on.metrics?.requestDuration;
    if (histogram === undefined) return;
    const attributes: Attributes = { ...this.#attributes };
    if (answered !== undefined) attributes[N.HTTP_RESPONSE_STATUS_CODE] = answered;
    const type = errorType(answered, error);
    if (type !== undefined) attributes[N.ERROR_TYPE] = type;
    histogram.record((performance.now() - startedMs) / 1000, attributes);
  }

  #retry(delayMs: number, error: unknown): void {
    const span = this.#span;
    if (span === undefined || !span.isRecording()) return;
    const status = isPasisError(error) ? error.status : undefined;
    const attributes: Attributes = {
      [N.HTTP_REQUEST_RESEND_COUNT]: this.#resends,
      [N.RETRY_DELAY]: delayMs / 1000,
    };
    if (status !== undefined) attributes[N.HTTP_RESPONSE_STATUS_CODE] = status;
    const type = errorType(status, error);
    if (type !== undefined) attributes[N.ERROR_TYPE] = type;
    if (isPasisError(error)) attributes[N.PASIS_ERROR_CODE] = error.code;
    span.addEvent(N.RETRY_EVENT, attributes);
  }

  #end(value: unknown, error: unknown): void {
    const span = this.#span as Span;
    if (span.isRecording()) {
      if (this.#status !== undefined) span.setAttribute(N.HTTP_RESPONSE_STATUS_CODE, this.#status);
      if (this.#resends > 0) span.setAttribute(N.HTTP_REQUEST_RESEND_COUNT, this.#resends);
      const sessionId = (value as { session_id?: unknown } | undefined)?.session_id;
      if (typeof sessionId === 'string') span.setAttribute(N.PASIS_SESSION_ID, sessionId);
      if (error !== undefined) {
        const code = isPasisError(error) ? error.code : N.OTHER;
        // error.status: a failure after the answer (an oversized or invalid body) keeps it.
        span.setAttribute(N.ERROR_TYPE, errorType(this.#status, error) ?? code);
        span.setAttribute(N.PASIS_ERROR_CODE, code);
        // The code only: a message may quote Pasis's answer, which may quote the request.
        span.setStatus({ code: this.#on.api.SpanStatusCode.ERROR, message: code });
      }
    }
    span.end();
  }
}
