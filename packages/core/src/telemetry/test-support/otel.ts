/**
 * The OpenTelemetry SDK wired for tests: an in-memory span exporter, an in-memory metric
 * exporter, the AsyncLocalStorage context manager, registered as the globals (or built
 * without registering, for the explicit `tracerProvider` / `meterProvider` options). Fresh
 * providers per test: core notices a provider change on its next delivery or call.
 */
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** An SDK for one test. */
export interface TestOtel {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** Finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** Spans with this name (or name prefix, ending with `*`). */
  spansNamed(name: string): ReadableSpan[];
  /** Collects now; every metric recorded so far (cumulative). */
  metrics(): Promise<MetricData[]>;
  /** One metric's data points (empty when never recorded). */
  points(name: string): Promise<DataPoint<unknown>[]>;
  shutdown(): Promise<void>;
}

/** Builds an SDK; with `register`, its providers become the globals. */
export function createTestOtel({ register = true } = {}): TestOtel {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires within a test: metrics are read by forceFlush.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  if (register) {
    trace.disable();
    metrics.disable();
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
  }
  const collect = async () => {
    await reader.forceFlush();
    const exported = metricExporter.getMetrics();
    return exported.at(-1)?.scopeMetrics.flatMap((scope) => scope.metrics) ?? [];
  };
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    spansNamed: (name) =>
      spanExporter
        .getFinishedSpans()
        .filter((s) => (name.endsWith('*') ? s.name.startsWith(name.slice(0, -1)) : s.name === name)),
    metrics: collect,
    points: async (name) => (await collect()).find((m) => m.descriptor.name === name)?.dataPoints ?? [],
    shutdown: async () => {
      if (register) {
        trace.disable();
        metrics.disable();
      }
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

/** Installs the AsyncLocalStorage context manager once per test file (what `NodeTracerProvider.register()` does). */
export function useAsyncContext(): void {
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** A histogram data point's value. */
export function histogram(point: DataPoint<unknown> | undefined): Histogram {
  if (point === undefined) throw new Error('no such data point');
  return point.value as Histogram;
}

/** The parent span id of a finished span (`undefined` for a root). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** The data point whose attributes include all of `attributes`. */
export function pointWith(
  points: DataPoint<unknown>[],
  attributes: Record<string, unknown>,
): DataPoint<unknown> | undefined {
  return points.find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v));
}

/** Everything a span records, as text: name, attributes, events, status, links. */
export function spanText(span: ReadableSpan): string {
  return JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    status: span.status,
    links: span.links.map((l) => l.attributes),
  });
}
