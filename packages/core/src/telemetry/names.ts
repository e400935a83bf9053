/**
 * Every name core records under, in one place. HTTP names follow the stable OpenTelemetry
 * HTTP semantic conventions (v1.23+); the rest live under `pasis.*`. No value recorded under
 * any of them is ever a secret, a signature, a body, an email or a phone number.
 */

/** The instrumentation scope of every tracer and meter core asks for. */
export const SCOPE_NAME = '@pasis/core';

// Semantic conventions (HTTP client spans and metrics, errors).
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const HTTP_REQUEST_RESEND_COUNT = 'http.request.resend_count';
export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const URL_FULL = 'url.full';
export const URL_TEMPLATE = 'url.template';
export const ERROR_TYPE = 'error.type';
/** The semantic conventions' value for "a value this instrumentation does not know". */
export const OTHER = '_OTHER';
/** What a redacted query value is replaced with (semantic conventions, `url.full`). */
export const REDACTED = 'REDACTED';

// Pasis: the client.
/** The PasisError code of a failed call (`rate_limited`, `unknown_session`, `timeout`, …). */
export const PASIS_ERROR_CODE = 'pasis.error.code';
export const PASIS_SESSION_ID = 'pasis.checkout.session_id';
/** A span event per retry of a call, before its backoff. */
export const RETRY_EVENT = 'pasis.client.retry';
/** The backoff before the retry, in seconds. */
export const RETRY_DELAY = 'pasis.client.retry.delay';

// Pasis: webhook deliveries (and the reconciler's events, which take the same path).
export const WEBHOOK_KIND = 'pasis.webhook.kind';
export const WEBHOOK_DELIVERY_ID = 'pasis.webhook.delivery_id';
export const WEBHOOK_OUTCOME = 'pasis.webhook.outcome';
export const WEBHOOK_SOURCE = 'pasis.webhook.source';
/** What the dedupe store said: `claimed` (new), `completed` (a duplicate), `in_progress`. */
export const WEBHOOK_CLAIM = 'pasis.webhook.claim';
export const WEBHOOK_VERIFIED = 'pasis.webhook.verified';
export const WEBHOOK_CONFIRMED = 'pasis.webhook.confirmed';
/** Seconds spent in the dedupe store (claim, then complete or release). */
export const WEBHOOK_STORE_DURATION = 'pasis.webhook.store.duration';
/** Seconds spent in the app's handlers. */
export const WEBHOOK_HANDLER_DURATION = 'pasis.webhook.handler.duration';

// Pasis: the reconciler.
export const RECONCILE_PREFIX = 'pasis.reconcile.';
export const RECONCILE_OUTCOME = 'pasis.reconcile.outcome';

// Metrics.
/** Histogram, seconds, per HTTP attempt (semantic conventions). */
export const METRIC_HTTP_CLIENT_DURATION = 'http.client.request.duration';
/** Counter of deliveries (and reconciled events) by outcome, kind and source. */
export const METRIC_DELIVERIES = 'pasis.webhook.deliveries';
/** Histogram, seconds, of the handlers' run, by kind, outcome and source. */
export const METRIC_HANDLER_DURATION = 'pasis.webhook.handler.duration';

/** Bucket advice for the duration histograms (the semantic conventions' HTTP advice), seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** Counter of the sessions a reconcile run settled on, by `pasis.reconcile.outcome`. */
export const METRIC_RECONCILE_SESSIONS = 'pasis.reconcile.sessions';
/** Counter of a reconciler's retrieves, by `pasis.reconcile.result` (`accepted`, `refused`, `failed`). */
export const METRIC_RECONCILE_REQUESTS = 'pasis.reconcile.requests';
/** Gauge of a reconcile run's pace, requests per second (recorded per page). */
export const METRIC_RECONCILE_PACE = 'pasis.reconcile.pace';
/** Attribute of `pasis.reconcile.requests`: `accepted` (Pasis answered), `refused` (429), `failed`. */
export const RECONCILE_RESULT = 'pasis.reconcile.result';
