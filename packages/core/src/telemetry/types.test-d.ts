import type {
  MeterProvider as ApiMeterProvider,
  TracerProvider as ApiTracerProvider,
} from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { describe, expectTypeOf, it } from 'vitest';
import type { PasisClientOptions } from '../client/options.js';
import type { ReconcilerOptions } from '../reconcile/types.js';
import type { WebhookHandlerOptions } from '../webhooks/types.js';
import type { PasisMeterProvider, PasisTracerProvider } from './source.js';

describe('telemetry option types', () => {
  it("take the SDK's providers and the API's interfaces, without core's types importing the API", () => {
    expectTypeOf<BasicTracerProvider>().toMatchTypeOf<PasisTracerProvider>();
    expectTypeOf<ApiTracerProvider>().toMatchTypeOf<PasisTracerProvider>();
    expectTypeOf<MeterProvider>().toMatchTypeOf<PasisMeterProvider>();
    expectTypeOf<ApiMeterProvider>().toMatchTypeOf<PasisMeterProvider>();
    expectTypeOf<{ tracerProvider: BasicTracerProvider; meterProvider: MeterProvider }>().toMatchTypeOf<
      WebhookHandlerOptions & PasisClientOptions
    >();
    expectTypeOf<ReconcilerOptions['tracerProvider']>().toEqualTypeOf<PasisTracerProvider | undefined>();
  });

  it('refuses what is not a provider', () => {
    expectTypeOf<{ tracerProvider: { getMeter(): unknown } }>().not.toMatchTypeOf<WebhookHandlerOptions>();
    expectTypeOf<{ meterProvider: BasicTracerProvider }>().not.toMatchTypeOf<PasisClientOptions>();
  });
});
