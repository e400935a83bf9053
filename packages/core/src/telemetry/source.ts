/**
 * Where a receiver, a client or a reconciler gets its tracer and meter: the providers it was
 * given, else the globally registered ones. Asked once per delivery or call, and cheap: two
 * lookups in the API's registry and identity checks, with the tracer and the instruments
 * built again only when a provider changes. When nothing is registered (or the API is not
 * installed) the answer is `undefined` and the caller skips all span and metric work.
 * Asking per use, not once at construction, is what lets an app register its SDK after it
 * built its receivers (a common import order) and still get every span.
 */
import type { Meter, MeterProvider, Tracer, TracerProvider } from '@opentelemetry/api';
import type { PasisError } from '../errors.js';
import { SCOPE_NAME } from './names.js';
import { type OtelApi, otelApi, otelRegistryExists } from './otel-api.js';

// Replaced by the package version at build time (tsup `define`); absent when run from source.
declare const __PASIS_CORE_VERSION__: string | undefined;
const SCOPE_VERSION = typeof __PASIS_CORE_VERSION__ === 'string' ? __PASIS_CORE_VERSION__ : undefined;

/**
 * An OpenTelemetry `TracerProvider`. Structural, so that core's types never need
 * `@opentelemetry/api` installed.
 *
 * @example
 * createWebhookHandler({ on, tracerProvider: new NodeTracerProvider({ spanProcessors }) });
 */
export interface PasisTracerProvider {
  getTracer(name: string, version?: string): unknown;
}

/**
 * An OpenTelemetry `MeterProvider`. Structural, like {@link PasisTracerProvider}.
 *
 * @example
 * createPasisClient({ meterProvider: new MeterProvider({ readers: [reader] }) });
 */
export interface PasisMeterProvider {
  getMeter(name: string, version?: string): unknown;
}

/**
 * The OpenTelemetry options of `createWebhookHandler` and `createPasisClient` (the
 * reconciler takes `tracerProvider`). Without them, the providers registered globally
 * (`trace.setGlobalTracerProvider`, `metrics.setGlobalMeterProvider`, or an SDK's
 * `register()`/`start()`) are used, looked up on every delivery and call. Default: global.
 *
 * @example
 * createWebhookHandler({ on, tracerProvider, meterProvider }); // apps that register no globals
 */
export interface PasisTelemetryOptions {
  /** Spans go to this provider instead of the global one. Default: the global provider. */
  tracerProvider?: PasisTracerProvider;
  /** Metrics go to this provider instead of the global one. Default: the global provider. */
  meterProvider?: PasisMeterProvider;
}

/** Telemetry options after validation. */
export interface ResolvedTelemetryOptions {
  tracerProvider: TracerProvider | undefined;
  meterProvider: MeterProvider | undefined;
}

type Fail = (message: string) => PasisError<'config_error'>;

const MISSING_API =
  'needs @opentelemetry/api, which could not be loaded from where @pasis/core is installed: add it to your dependencies.';

/**
 * Validates `tracerProvider` and `meterProvider`; the API must be loadable when either is given.
 *
 * @example
 * const telemetry = resolveTelemetryOptions(options, (m) => configError('@pasis/express', m));
 */
export function resolveTelemetryOptions(
  options: { tracerProvider?: unknown; meterProvider?: unknown },
  fail: Fail,
): ResolvedTelemetryOptions {
  const { tracerProvider, meterProvider } = options;
  const check = (name: string, value: unknown, method: string) => {
    if (value === undefined) return;
    if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
      throw fail(
        `${name} must be an OpenTelemetry ${name === 'tracerProvider' ? 'TracerProvider' : 'MeterProvider'} (with ${method}()).`,
      );
    }
    if (otelApi() === undefined) throw fail(`${name} ${MISSING_API}`);
  };
  check('tracerProvider', tracerProvider, 'getTracer');
  check('meterProvider', meterProvider, 'getMeter');
  return {
    tracerProvider: tracerProvider as TracerProvider | undefined,
    meterProvider: meterProvider as MeterProvider | undefined,
  };
}

/**
 * Runs `fn`, ignoring what it throws: around every call into a provider, whose contract is to
 * never throw, so that one that does anyway can never break a payment.
 *
 * @example
 * quietly(() => span.end());
 */
export function quietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // A broken provider loses its telemetry, never a delivery or a call.
  }
}

/** What is on right now: a tracer, instruments, or both (never neither). */
export interface Telemetry<M> {
  readonly api: OtelApi;
  /** `undefined` when no tracer provider is registered or given: no spans. */
  readonly tracer: Tracer | undefined;
  /** `undefined` when no meter provider is registered or given: no metrics. */
  readonly metrics: M | undefined;
}

/** Answers what is on right now; `undefined` means "record nothing". */
export type TelemetrySource<M> = () => Telemetry<M> | undefined;

const OFF = () => undefined;

/**
 * A source for one receiver, client or reconciler. `defineMetrics` creates its instruments
 * on a meter, once per meter provider; without it, no meter is ever asked for (spans only).
 * With no provider given, the API is not even loaded until some copy of it has registered
 * something globally: until then the answer is "record nothing", found with one lookup.
 *
 * @example
 * const source = telemetrySource(resolved.telemetry, (meter) => ({ calls: meter.createCounter('x') }));
 * const on = source(); // undefined: record nothing
 */
export function telemetrySource<M>(
  options: ResolvedTelemetryOptions,
  defineMetrics?: (meter: Meter) => M,
): TelemetrySource<M> {
  if (options.tracerProvider !== undefined || options.meterProvider !== undefined) {
    return liveSource(options, defineMetrics);
  }
  let live: TelemetrySource<M> | undefined;
  return () => {
    if (live === undefined) {
      if (!otelRegistryExists()) return undefined;
      live = liveSource(options, defineMetrics);
    }
    return live();
  };
}

/** The source once the API is needed: loaded (or found absent) here, once. */
function liveSource<M>(
  options: ResolvedTelemetryOptions,
  defineMetrics?: (meter: Meter) => M,
): TelemetrySource<M> {
  const api = otelApi();
  if (api === undefined) return OFF;
  // What the global proxy delegates to while no provider is registered, and the meter every
  // no-op provider hands out: the API's own no-op singletons, found through its public API.
  const noopTracerProvider = new api.ProxyTracerProvider().getDelegate();
  const noopMeter = api.createNoopMeter();
  let tracerProvider: TracerProvider | undefined;
  let meterProvider: MeterProvider | undefined;
  let current: Telemetry<M> | undefined;
  return () => {
    const registered = options.tracerProvider ?? api.trace.getTracerProvider();
    // The global provider is the API's proxy: what matters is what it delegates to.
    const tp =
      typeof (registered as { getDelegate?: unknown }).getDelegate === 'function'
        ? (registered as InstanceType<OtelApi['ProxyTracerProvider']>).getDelegate()
        : registered;
    const mp = defineMetrics && (options.meterProvider ?? api.metrics.getMeterProvider());
    if (tp === tracerProvider && mp === meterProvider) return current;
    tracerProvider = tp;
    meterProvider = mp;
    try {
      const tracer = tp === noopTracerProvider ? undefined : tp.getTracer(SCOPE_NAME, SCOPE_VERSION);
      const meter = mp?.getMeter(SCOPE_NAME, SCOPE_VERSION);
      const metrics =
        meter === undefined || meter === noopMeter || defineMetrics === undefined
          ? undefined
          : defineMetrics(meter);
      current = tracer === undefined && metrics === undefined ? undefined : { api, tracer, metrics };
    } catch {
      // A provider that throws is treated as absent: telemetry never breaks a payment.
      current = undefined;
    }
    return current;
  };
}
