/**
 * `pasis.checkout.sessions`: validate, map to the wire, send, validate the answer.
 */
import { PasisError } from '../errors.js';
import type { HttpConfig } from './http.js';
import { sendWithRetries } from './http.js';
import { MAX_MAX_RETRIES } from './options.js';
import { type CreateSessionParams, parseCreateSessionParams } from './params.js';
import { refuseUnsafePaymentLink } from './payment-link.js';
import { tryParseJson } from './response-error.js';
import { parseRetrievedSession, type RetrievedCheckoutSession } from './retrieved-session.js';
import {
  type CheckoutSession,
  INITIATE_PATH,
  isValidSessionId,
  parseSession,
  RETRIEVE_PATH,
  retrievePath,
  SESSION_ID_RULE,
  toWireBody,
} from './wire.js';

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
 * Per-call options of a retrieve: what makes sense for a GET (no idempotency key: a GET
 * changes nothing, so there is nothing to deduplicate).
 *
 * @example
 * await pasis.checkout.sessions.retrieve(id, { signal: AbortSignal.timeout(5_000) });
 * await pasis.checkout.sessions.retrieve(id, { maxRetries: 0 }); // one attempt: fail fast, never wait
 */
export interface RetrieveOptions extends Pick<RequestOptions, 'signal'> {
  /**
   * Retries for this call only, instead of the client's `maxRetries` (integer 0..10). `0`
   * makes one attempt and never waits on a `Retry-After`: what a caller answering someone
   * else in the meantime (a webhook's confirm-by-fetch) wants. Default: the client's.
   */
  maxRetries?: number;
}

/**
 * The checkout sessions resource.
 *
 * @example
 * const session = await pasis.checkout.sessions.create({
 *   items: [{ name: 'Money Transfer', amount: 5000 }],
 *   email: 'customer@mail.com',
 * });
 * const now = await pasis.checkout.sessions.retrieve(session.session_id); // status: 'open'
 */
export interface CheckoutSessions {
  /**
   * Creates a checkout session. Its `payment_link` is normalised (the parsed URL's `href`);
   * one holding a control character (tab, CR, LF, …) is refused as `unsafe_payment_link`.
   * Never throws synchronously: every failure is a rejected promise carrying a {@link PasisError}.
   */
  create(params: CreateSessionParams, options?: RequestOptions): Promise<CheckoutSession>;
  /**
   * Asks Pasis where a session stands (CONTRACT §1b): the authority on its outcome, above a
   * webhook body or a return URL's query string. Same timeout per attempt and error classes
   * as `create`; being a GET, it also retries resets, timeouts and every 5xx (up to
   * `maxRetries`, jittered backoff, `Retry-After` honoured up to `maxRetryAfterMs`).
   * Rejects with `unknown_session` (404) when Pasis does not know the session or it belongs
   * to another app, `validation_error` for an id no session can have (before any request),
   * `invalid_response` for an answer that is not a valid session or is about another one,
   * `unsafe_payment_link` for a `payment_link` holding a control character (otherwise it is
   * normalised, as `create`'s). Never throws synchronously.
   *
   * @example
   * const { status } = await pasis.checkout.sessions.retrieve('sess_12345');
   */
  retrieve(sessionId: string, options?: RetrieveOptions): Promise<RetrievedCheckoutSession>;
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

function readRetrieveOptions(options: unknown): RetrieveOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw validation(['options'], 'must be an object');
  }
  const { signal, maxRetries } = (options ?? {}) as RetrieveOptions;
  if (signal !== undefined && typeof (signal as AbortSignal | null)?.addEventListener !== 'function') {
    throw validation(['signal'], 'must be an AbortSignal');
  }
  if (
    maxRetries !== undefined &&
    (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > MAX_MAX_RETRIES)
  ) {
    throw validation(['maxRetries'], `must be an integer from 0 to ${MAX_MAX_RETRIES}`);
  }
  return { signal, maxRetries };
}

function validation(path: string[], message: string): PasisError<'validation_error'> {
  return new PasisError('validation_error', `Invalid request options: ${path.join('.')} ${message}.`, {
    issues: [{ path, message }],
  });
}

// The id is never quoted: it may be anything the caller was handed, of any length.
function invalidSessionId(): PasisError<'validation_error'> {
  const message = `must be ${SESSION_ID_RULE}`;
  return new PasisError('validation_error', `Invalid session id: it ${message}.`, {
    issues: [{ path: ['sessionId'], message }],
  });
}

function invalidResponse(status: number, body: string, problems: string[], key?: string): PasisError {
  const what = body === '' ? 'an empty body' : problems.slice(0, 3).join('; ') || 'a body that is not JSON';
  return new PasisError(
    'invalid_response',
    `Pasis answered HTTP ${status} without a valid session: ${what}.`,
    {
      status,
      idempotencyKey: key,
    },
  );
}

/** Builds `checkout.sessions` over a configured HTTP loop. */
export function createCheckoutSessions(config: CheckoutSessionsConfig): CheckoutSessions {
  // Resolved once: a fixed path under baseUrl, so every request stays on its origin.
  const url = new URL(INITIATE_PATH, config.baseUrl);
  // The paths with their variable part named: what spans are named after (url.template).
  const createTemplate = url.pathname;
  const retrieveTemplate = `${config.baseUrl.pathname}${RETRIEVE_PATH}`;
  return {
    // async: a bad argument becomes a rejection, never a synchronous throw.
    async create(params, options) {
      const { idempotencyKey, signal } = readRequestOptions(options, config.generateIdempotencyKey);
      const valid = parseCreateSessionParams(params);
      const body = JSON.stringify(toWireBody(config.appId, valid));
      const request = {
        method: 'POST',
        url,
        urlTemplate: createTemplate,
        body,
        idempotencyKey,
        signal,
        safeToRetry: false,
      } as const;
      return sendWithRetries(config.http, request, (res) => {
        const json = tryParseJson(res.body);
        refuseUnsafePaymentLink(json, res.status, idempotencyKey);
        const { session, problems } = parseSession(json);
        if (session !== undefined) return session;
        throw invalidResponse(res.status, res.body, problems, idempotencyKey);
      });
    },
    async retrieve(sessionId, options) {
      const { signal, maxRetries } = readRetrieveOptions(options);
      if (!isValidSessionId(sessionId)) throw invalidSessionId();
      // Relative to baseUrl with both parts encoded: the request cannot leave its origin.
      const target = new URL(retrievePath(sessionId, config.appId), config.baseUrl);
      const request = {
        method: 'GET',
        url: target,
        urlTemplate: retrieveTemplate,
        body: undefined,
        idempotencyKey: undefined,
        signal,
        safeToRetry: true,
      } as const;
      const http = maxRetries === undefined ? config.http : { ...config.http, maxRetries };
      return sendWithRetries(http, request, (res) => {
        const json = tryParseJson(res.body);
        refuseUnsafePaymentLink(json, res.status);
        const { session, problems } = parseRetrievedSession(json, sessionId);
        if (session !== undefined) return session;
        throw invalidResponse(res.status, res.body, problems);
      });
    },
  };
}
