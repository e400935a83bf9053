/**
 * The reconciler's instruments: sessions by outcome, retrieves accepted or refused, and the
 * pace. Recorded only when a meter provider is registered or given (`meterProvider`).
 */
import type { Counter, Gauge, Meter } from '@opentelemetry/api';
import * as N from './names.js';
import { quietly, type Telemetry } from './source.js';

/** The reconciler's instruments. */
export interface ReconcileMetrics {
  sessions: Counter;
  requests: Counter;
  /** Absent with an `@opentelemetry/api` older than 1.9 (no synchronous gauge). */
  pace: Gauge | undefined;
}

/**
 * Creates the instruments on `meter` (once per meter provider, by the telemetry source).
 *
 * @example
 * const source = telemetrySource(options, defineReconcileMetrics);
 */
export function defineReconcileMetrics(meter: Meter): ReconcileMetrics {
  return {
    sessions: meter.createCounter(N.METRIC_RECONCILE_SESSIONS, {
      description: 'Sessions a reconcile run checked, by outcome (deferred: left for the next run).',
      unit: '{session}',
    }),
    requests: meter.createCounter(N.METRIC_RECONCILE_REQUESTS, {
      description:
        'Retrieves a reconcile run sent, by result: accepted (Pasis answered), refused (429), failed (5xx, timeout, no connection).',
      unit: '{request}',
    }),
    pace:
      typeof meter.createGauge === 'function'
        ? meter.createGauge(N.METRIC_RECONCILE_PACE, {
            description: "A reconcile run's pace: the retrieves per second it allows itself.",
            unit: '{request}/s',
          })
        : undefined,
  };
}

/** What a run records into: the instruments when on, or nothing. */
export interface ReconcileRecorder {
  /** `count` sessions (default 1) settled on `outcome`. */
  session(outcome: string, count?: number): void;
  request(result: 'accepted' | 'refused' | 'failed'): void;
  pace(perSecond: number): void;
}

const NOTHING: ReconcileRecorder = { session() {}, request() {}, pace() {} };

/**
 * The recorder of one run: through the instruments when metrics are on, else nothing. A
 * broken provider loses its metrics, never a run.
 *
 * @example
 * const record = reconcileRecorder(telemetry()); record.session('handled');
 */
export function reconcileRecorder(on: Telemetry<ReconcileMetrics> | undefined): ReconcileRecorder {
  const metrics = on?.metrics;
  if (metrics === undefined) return NOTHING;
  return {
    session: (outcome, count = 1) =>
      quietly(() => metrics.sessions.add(count, { [N.RECONCILE_OUTCOME]: outcome })),
    request: (result) => quietly(() => metrics.requests.add(1, { [N.RECONCILE_RESULT]: result })),
    pace: (perSecond) => {
      if (Number.isFinite(perSecond)) quietly(() => metrics.pace?.record(perSecond));
    },
  };
}
