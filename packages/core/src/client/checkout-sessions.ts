/**
 * `pasis.checkout.sessions`: validate, map to the wire, send, validate the answer.
 */
import { PasisError } from '../errors.js';
import type { HttpConfig } from './http.js';
import { sendWithRetries } from './http.js';
import { type CreateSessionParams, parseCreateSessionParams } from './params.js';
import { tryParseJson } from './response-error.js';
import { type CheckoutSession, INITIATE_PATH, parseSession, toWireBody } from './wire.js';

/**
 * Per-call options.
 *
 * @example
 * await pasis.checkout.sessions.create(params, {
 *   idempotencyKey: `order-${order.id}`,
 *   signal: AbortSignal.timeout(10_000),
 * });
 */
export interface RequestOptions {
  /**
   * Sent as `Idempotency-Key` on every attempt of this call. Printable ASCII without spaces,
   * at most 255 characters. Default: a fresh `crypto.randomUUID()` per call.
   */
  idempotencyKey?: string;
  /** Aborts the call, a backoff wait included (`aborted`). Default: none. */
  signal?: AbortSignal;
}

/**
 * The checkout sessions resource.
 *
 * @example
 * const session = await pasis.checkout.sessions.create({
 *   items: [{ name: 'Money Transfer', amount: 5000 }],
 *   email: 'customer@mail.com',
 * });
 */
export interface CheckoutSessions {
  /**
   * Creates a checkout session. Never throws synchronously: every failure is a rejected
   * promise carrying a {@link PasisError}.
   */
  create(params: CreateSessionParams, options?: RequestOptions): Promise<CheckoutSession>;
}

/** What the resource is built from. */
export interface CheckoutSessionsConfig {
  appId: string;
  baseUrl: URL;
  http: HttpConfig;
  generateIdempotencyKey: () => string;
}

const KEY_PATTERN = /^[!-~]{1,255}$/;

function readRequestOptions(options: unknown, generate: () => string) {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw validation(['options'], 'must be an object');
  }
  const { idempotencyKey, signal } = (options ?? {}) as RequestOptions;
  if (
    idempotencyKey !== undefined &&
    (typeof idempotencyKey !== 'string' || !KEY_PATTERN.test(idempotencyKey))
  ) {
    throw validation(['idempotencyKey'], 'must be 1 to 255 printable ASCII characters without spaces');
  }
  if (signal !== undefined && typeof (signal as AbortSignal | null)?.addEventListener !== 'function') {
    throw validation(['signal'], 'must be an AbortSignal');
  }
  return { idempotencyKey: idempotencyKey ?? generate(), signal };
}

function validation(path: string[], message: string): PasisError<'validation_error'> {
  return new PasisError('validation_error', `Invalid request options: ${path.join('.')} ${message}.`, {
    issues: [{ path, message }],
  });
}

/** Builds `checkout.sessions` over a configured HTTP loop. */
export function createCheckoutSessions(config: CheckoutSessionsConfig): CheckoutSessions {
  // Resolved once: a fixed path under baseUrl, so every request stays on its origin.
  const url = new URL(INITIATE_PATH, config.baseUrl);
  return {
    // async: a bad argument becomes a rejection, never a synchronous throw.
    async create(params, options) {
      const { idempotencyKey, signal } = readRequestOptions(options, config.generateIdempotencyKey);
      const valid = parseCreateSessionParams(params);
      const body = JSON.stringify(toWireBody(config.appId, valid));
      const res = await sendWithRetries(config.http, { url, body, idempotencyKey, signal });
      const { session, problems } = parseSession(tryParseJson(res.body));
      if (session !== undefined) return session;
      const what =
        res.body === '' ? 'an empty body' : problems.slice(0, 3).join('; ') || 'a body that is not JSON';
      throw new PasisError(
        'invalid_response',
        `Pasis answered HTTP ${res.status} without a valid session: ${what}.`,
        {
          status: res.status,
          idempotencyKey,
        },
      );
    },
  };
}
