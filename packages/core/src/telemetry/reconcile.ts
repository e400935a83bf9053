/**
 * The reconciler's spans: one INTERNAL span per run (`pasis.reconcile.run`, its summary's
 * counts as attributes) and per `check()` (`pasis.reconcile.check`). Each runs inside its
 * span's context, so the retrieves (CLIENT spans) and the events received (delivery spans,
 * `pasis.webhook.source = reconcile`) are its children. Its metrics (sessions by outcome,
 * retrieves accepted or refused, its pace) are in reconcile-metrics.ts; what it settles is
 * also counted by the receiver (`pasis.webhook.deliveries{pasis.webhook.source="reconcile"}`).
 */
import type { Span } from '@opentelemetry/api';
import { isPasisError } from '../errors.js';
import * as N from './names.js';
import { defineReconcileMetrics, type ReconcileMetrics } from './reconcile-metrics.js';
import { quietly, type ResolvedTelemetryOptions, type TelemetrySource, telemetrySource } from './source.js';

/** A reconciler's telemetry: its spans, and its instruments (reconcile-metrics.ts). */
export type ReconcileTelemetry = TelemetrySource<ReconcileMetrics>;

/**
 * The telemetry of one reconciler, from its `tracerProvider` and `meterProvider` or the
 * global ones.
 *
 * @example
 * const telemetry = createReconcileTelemetry(resolved.telemetry); // once per reconciler
 */
export function createReconcileTelemetry(options: ResolvedTelemetryOptions): ReconcileTelemetry {
  return telemetrySource(options, defineReconcileMetrics);
}

const COUNTS = [
  ['listed', 'listed'],
  ['checked', 'checked'],
  ['handled', 'handled'],
  ['duplicate', 'duplicate'],
  ['ignored', 'ignored'],
  ['stillOpen', 'still_open'],
  ['unknown', 'unknown'],
  ['inProgress', 'in_progress'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
  ['heldElsewhere', 'held_elsewhere'],
  ['deferred', 'deferred'],
  ['refused', 'refused'],
  ['retries', 'retries'],
] as const;

/**
 * A run's summary as its span records it: the reconciler's `ReconcileSummary`, in shape
 * (telemetry imports nothing from the reconciler: the reconciler calls it).
 *
 * @example
 * const counts: RunCounts = await reconciler.run();
 */
export type RunCounts = Record<(typeof COUNTS)[number][0], number> & { endedEarly?: string };

/**
 * A check's result as its span records it: the reconciler's `CheckResult`, in shape.
 *
 * @example
 * const record: CheckRecord = { outcome: 'failed', error: { code: 'timeout' } };
 */
export interface CheckRecord {
  outcome: string;
  error?: { code: string };
}

function traced<T>(
  telemetry: ReconcileTelemetry,
  name: string,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
  annotate: (span: Span, value: T) => void,
): Promise<T> {
  const on = telemetry();
  const tracer = on?.tracer;
  if (on === undefined || tracer === undefined) return fn();
  const { context, trace, SpanKind, SpanStatusCode } = on.api;
  let span: Span;
  try {
    span = tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes });
  } catch {
    return fn(); // a provider that breaks its contract never breaks a run
  }
  return context.with(trace.setSpan(context.active(), span), fn).then(
    (value) => {
      quietly(() => {
        if (span.isRecording()) annotate(span, value);
        span.end();
      });
      return value;
    },
    (error: unknown) => {
      quietly(() => {
        const code = isPasisError(error) ? error.code : N.OTHER;
        span.setAttribute(N.ERROR_TYPE, code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
        span.end();
      });
      throw error;
    },
  );
}

/**
 * Runs one reconcile run inside its span.
 *
 * @example
 * const summary = await traceRun(telemetry, olderThanMs, () => runOnce(deps, olderThanMs, signal));
 */
export function traceRun<S extends RunCounts>(
  telemetry: ReconcileTelemetry,
  olderThanMs: number,
  run: () => Promise<S>,
): Promise<S> {
  return traced(
    telemetry,
    'pasis.reconcile.run',
    { [`${N.RECONCILE_PREFIX}older_than`]: olderThanMs / 1000 },
    run,
    (span, summary) => {
      for (const [field, name] of COUNTS) span.setAttribute(`${N.RECONCILE_PREFIX}${name}`, summary[field]);
      if (summary.endedEarly !== undefined)
        span.setAttribute(`${N.RECONCILE_PREFIX}ended_early`, summary.endedEarly);
    },
  );
}

/**
 * Runs one `check()` inside its span.
 *
 * @example
 * const result = await traceCheck(telemetry, sessionId, () => checkSession(deps, sessionId));
 */
export function traceCheck<R extends CheckRecord>(
  telemetry: ReconcileTelemetry,
  sessionId: string,
  check: () => Promise<R>,
): Promise<R> {
  return traced(
    telemetry,
    'pasis.reconcile.check',
    { [N.PASIS_SESSION_ID]: sessionId },
    check,
    (span, result) => {
      span.setAttribute(N.RECONCILE_OUTCOME, result.outcome);
      if (result.outcome === 'failed' && result.error !== undefined) {
        span.setAttribute(N.ERROR_TYPE, result.error.code);
        span.setAttribute(N.PASIS_ERROR_CODE, result.error.code);
      }
    },
  );
}
