// node:crypto's randomUUID draws from a cached entropy pool: several times cheaper per call
// than globalThis.crypto.randomUUID() (measured in bench/client.bench.mjs).
import { randomUUID } from 'node:crypto';
import { createClientTelemetry } from '../telemetry/client-call.js';
import { type CheckoutSessions, createCheckoutSessions } from './checkout-sessions.js';
import { defaultRetryInternals, type RetryInternals } from './http.js';
import { type PasisClientOptions, resolveClientOptions } from './options.js';

/**
 * A configured Pasis client. Cheap to keep for the life of the process: it holds no
 * connection of its own (fetch pools them).
 *
 * @example
 * const pasis: PasisClient = createPasisClient();
 * const session = await pasis.checkout.sessions.create(params);
 */
export interface PasisClient {
  /** Pasis Checkout. */
  readonly checkout: {
    /** Checkout sessions: `create`, `retrieve`. */
    readonly sessions: CheckoutSessions;
  };
}

/** Test seams, kept out of the public options: the jitter's random source, the clock, the sleep, the key. */
export interface ClientInternals extends Partial<RetryInternals> {
  generateIdempotencyKey?: () => string;
}

/**
 * Internal constructor behind {@link createPasisClient}, with seams for deterministic tests.
 * Not exported from the package.
 */
export function createPasisClientWith(
  options: PasisClientOptions | undefined,
  internals: ClientInternals,
): PasisClient {
  const resolved = resolveClientOptions(options);
  const sessions = createCheckoutSessions({
    appId: resolved.appId,
    baseUrl: resolved.baseUrl,
    generateIdempotencyKey: internals.generateIdempotencyKey ?? randomUUID,
    http: {
      fetch: resolved.fetch,
      timeoutMs: resolved.timeoutMs,
      maxRetries: resolved.maxRetries,
      maxRetryAfterMs: resolved.maxRetryAfterMs,
      logger: resolved.logger,
      telemetry: createClientTelemetry(resolved.telemetry),
      random: internals.random ?? defaultRetryInternals.random,
      now: internals.now ?? defaultRetryInternals.now,
      sleep: internals.sleep ?? defaultRetryInternals.sleep,
    },
  });
  return Object.freeze({ checkout: Object.freeze({ sessions: Object.freeze(sessions) }) });
}

/**
 * Creates the Pasis client. Options are validated here, and `PASIS_APP_ID` /
 * `PASIS_BASE_URL` read once, so a misconfiguration fails at startup (`config_error`)
 * rather than on the first payment.
 *
 * Defaults: `appId` = `PASIS_APP_ID` (required), `baseUrl` = `PASIS_BASE_URL` else
 * `https://checkout.pasis.rw`, `timeoutMs` = 30000, `maxRetries` = 2,
 * `maxRetryAfterMs` = 60000, `fetch` = global fetch, `logger` = `defaultLogger`,
 * `tracerProvider` / `meterProvider` = the global ones.
 *
 * @example
 * const pasis = createPasisClient({ appId: process.env.PASIS_APP_ID });
 * const session = await pasis.checkout.sessions.create(
 *   { items: [{ name: 'Money Transfer', amount: 5000 }], email: 'customer@mail.com' },
 *   { idempotencyKey: `order-${order.id}` },
 * );
 */
export function createPasisClient(options?: PasisClientOptions): PasisClient {
  return createPasisClientWith(options, {});
}
