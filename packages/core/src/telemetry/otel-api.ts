/**
 * `@opentelemetry/api`, loaded lazily, synchronously and once, or not at all.
 *
 * Why `createRequire` rather than `import`: the API is an optional peer. A static import
 * (ESM or CJS) would make core fail to load wherever it is not installed, and a dynamic
 * `import()` is asynchronous, so the first deliveries after start would go unrecorded.
 * `createRequire(import.meta.url)` resolves the API from core's own location, in both builds
 * (tsup's `shims` give the CJS build its `import.meta.url`), and a failure is just "absent".
 * Why the API and not its global registry (`Symbol.for('opentelemetry.js.api.1')`) read by
 * hand: the API owns the rules for sharing that registry between copies and versions, the
 * context keys and the no-op fallbacks; reading its internals would re-implement them.
 * Every copy of the API shares that registry, so the app's copy (ESM or CJS) and the one
 * core loads see the same registered providers.
 */
import { createRequire } from 'node:module';

/** The API's module namespace, as core uses it. */
export type OtelApi = typeof import('@opentelemetry/api');

let loaded: OtelApi | null | undefined;

/**
 * The API when it can be loaded from where core is installed, else `undefined`. Tried once
 * per process (per copy of core); never throws.
 *
 * @example
 * const api = otelApi(); if (api !== undefined) api.trace.getTracerProvider();
 */
export function otelApi(): OtelApi | undefined {
  if (loaded === undefined) {
    try {
      const api = createRequire(import.meta.url)('@opentelemetry/api') as Partial<OtelApi>;
      // Anything older than 1.3 (no metrics API) counts as absent rather than half-working.
      loaded =
        typeof api.trace?.getTracerProvider === 'function' && typeof api.metrics === 'object'
          ? (api as OtelApi)
          : null;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

// The global registry every copy of API 1.x shares. A copy creates it the first time anything
// is registered (a tracer or meter provider, a context manager, a propagator, a diag logger).
const REGISTRY = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether any copy of the API has registered anything in this process. Until one has, no
 * provider can be registered either, so core need not load the API to learn that: loading it
 * at construction made building a receiver cost ~65–110 ms instead of ~25 ms on a 2-core VM
 * (bench/cold-start.bench.mjs).
 *
 * @example
 * otelRegistryExists(); // false until e.g. an SDK's start() or trace.setGlobalTracerProvider()
 */
export function otelRegistryExists(): boolean {
  return (globalThis as Record<symbol, unknown>)[REGISTRY] !== undefined;
}
