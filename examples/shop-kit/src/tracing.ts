/**
 * The demo's tracing: with `PASIS_DEMO_TRACE=1`, the shop registers an OpenTelemetry tracer
 * provider that prints every finished span to the console (the SDK's `ConsoleSpanExporter`),
 * so `pnpm demo` shows what `@pasis/core` records: a `POST /api/checkouts/initiate` span per
 * checkout, a `pasis.webhook session:processed` span per delivery, the reconciler's runs.
 * A real app would export to its collector (OTLP) instead. The SDK is imported only when the
 * variable is set: otherwise nothing is loaded and `@pasis/core` records nothing.
 */

/** The environment variable that turns the demo's console spans on: `PASIS_DEMO_TRACE=1`. */
export const DEMO_TRACE_ENV = 'PASIS_DEMO_TRACE';

/**
 * Registers a console-printing tracer provider (and Node's async context) when
 * `PASIS_DEMO_TRACE=1`; resolves with whether it did. Call it first thing in `main.ts`.
 *
 * @example
 * await startDemoTracing(); // PASIS_DEMO_TRACE=1 pnpm demo
 */
export async function startDemoTracing(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (env[DEMO_TRACE_ENV] !== '1') return false;
  const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { ConsoleSpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  // register(): the global tracer provider, plus the AsyncLocalStorage context manager that
  // lets a handler's own spans nest under the delivery's.
  new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }).register();
  return true;
}
