import { isPasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import { isPasisLogger, type PasisLogger } from '../logging/logger.js';
import { configError } from '../config.js';
import { isKnownEventKind } from '../events/schemas.js';
import type { DeliveryObservation } from '../telemetry/delivery.js';
import { createWebhookTelemetry, withDelivery } from '../telemetry/webhook-telemetry.js';
import { createRejectionLog } from '../logging/rejection-log.js';
import { createFailureLog } from '../logging/failure-log.js';
import { errorSummary } from '../logging/format.js';
import { createConfirmer } from './confirming.js';
import { createDispatch, IGNORED } from './dispatch.js';
import { toFetchHandler } from './fetch.js';
import { LeaseRenewer } from '../dedupe/lease-renewer.js';
import { resolveWebhookOptions } from './options.js';
import { type WebhookAdapterInfo } from './receiver-types.js';
import { receiveResponse, resultStatus, UNREADABLE_MESSAGE, WEBHOOK_ERROR_STATUS } from './outcome.js';
import { type WebhookResponse } from './receiver-types.js';
import { HandlerRegistry } from './registry.js';
import type { WebhookHandlerOptions } from './types.js';
import type { ReceiveMeta, ReceiveResult, WebhookReceiver, WebhookRequest } from './receiver-types.js';
import { claimedDeliveryId, createVerifier, isRawBody, type VerifiedDelivery } from './verify.js';

const GENERIC_RAW_BODY_HINT =
  'The Pasis webhook received an already-parsed body: another body parser ran first. Register the ' +
  'webhook route before any JSON body parser, or give it the raw bytes; signatures can only be checked on them.';

const NO_REQUEST: WebhookRequest = Object.freeze({ body: undefined, headers: {} });

const UNEXPECTED_CODE = 'handler_failed';
const UNEXPECTED: ReceiveResult = Object.freeze({
  ok: false,
  code: UNEXPECTED_CODE,
  message: 'The delivery could not be handled; it will be retried.',
});

/** Without a signature there is no trustworthy id: what the event says is the key. */
function readUnsigned(body: Uint8Array | string): VerifiedDelivery {
  const event = parseEvent(decodeBody(body));
  const derived = `${event.kind}:${String(event.session_id ?? '')}:${String(event.status ?? '')}`;
  return { event, id: derived, timestamp: Number.NaN };
}

/**
 * Builds a webhook receiver that owns the whole protocol: verification over the raw
 * bytes, parsing, deduplication, running the handlers and the status of every answer.
 * Adapters only hand it `{ body, headers }` and write its `{ status, headers, body }` back.
 * Every option is validated here (a `config_error` naming `adapter.name`, default
 * `@pasis/core`); see {@link WebhookHandlerOptions} for the defaults.
 *
 * @example
 * const webhooks = createWebhookHandler({
 *   secret: process.env.PASIS_WEBHOOK_SECRET,
 *   on: { 'session:processed': async (event) => orders.settle(event.session_id, event.status) },
 * });
 * const { status, headers, body } = await webhooks.handle({ body: rawBytes, headers: req.headers });
 */
export function createWebhookHandler<Tx = undefined>(
  options: WebhookHandlerOptions<Tx> = {},
  adapter: WebhookAdapterInfo = {},
): WebhookReceiver<Tx> {
  const resolved = resolveWebhookOptions(options, adapter);
  const { logger, maxBodyBytes, keys } = resolved;
  const fail = (message: string) => configError(resolved.packageName, message);
  const verify = keys === undefined ? undefined : createVerifier(keys, resolved.toleranceSec, resolved.now);
  const confirm =
    resolved.confirmWith &&
    createConfirmer(resolved.confirmWith, { maxInFlight: resolved.confirmMaxInFlight, now: resolved.now });
  const registry = new HandlerRegistry(resolved.on, fail);
  const failures = createFailureLog(resolved.now);
  const dispatch = createDispatch({
    registry,
    onUnknownEvent: resolved.onUnknownEvent,
    claims: {
      store: resolved.store,
      claimOptions: Object.freeze({ leaseMs: resolved.leaseMs }),
      completeOptions: Object.freeze({ ttlMs: resolved.doneTtlMs }),
      renewer: new LeaseRenewer(resolved.store, resolved.leaseMs, logger),
      failures,
    },
  });
  if (keys === undefined && confirm === undefined) {
    logger.warn(
      'Pasis webhooks: unsafeAllowUnsigned is on, so signatures are NOT verified and anyone can fake a ' +
        'payment. Without a secret, use `confirm` instead: every event is then checked with Pasis first.',
    );
  }

  /**
   * With `confirm`, a known event that someone listens to is replaced by Pasis's own account
   * of the session before any handler sees it (throws a table code when it cannot be). An
   * unsigned event of a kind nobody can confirm is ignored, onUnknownEvent included.
   */
  async function confirmed(event: PasisEvent | UnknownPasisEvent): Promise<PasisEvent | undefined> {
    if (!isKnownEventKind(event.kind)) return undefined;
    if (registry.handlersFor(event).length === 0) return event as PasisEvent; // ignored: no fetch
    return confirm!(event as PasisEvent);
  }
  // A bug of ours or of a store (never a bad delivery, which has a code): said with its cause.
  const unexpected = (log: PasisLogger, error: unknown, deliveryId: string | undefined, source: string) =>
    failures(
      log,
      `Pasis ${source}: unexpected error; answered ${UNEXPECTED_CODE}, so it is retried: ${errorSummary(error)}`,
      { deliveryId, outcome: UNEXPECTED_CODE, error },
      'unexpected',
    );
  let warnedRawBody = false;
  // Asked per delivery, cheaply: nothing is recorded while no provider is registered.
  const telemetry = createWebhookTelemetry(resolved.telemetry);
  const rejected = createRejectionLog(resolved.now, logger);

  const TOO_LARGE: ReceiveResult = Object.freeze({
    ok: false,
    code: 'body_too_large',
    message: `The body is larger than ${maxBodyBytes} bytes.`,
  });
  const TIMED_OUT: ReceiveResult = Object.freeze({
    ok: false,
    code: 'body_timeout',
    message: `The body did not arrive within ${resolved.bodyTimeoutMs} ms.`,
  });
  const UNREADABLE: ReceiveResult = Object.freeze({
    ok: false,
    code: 'body_unreadable',
    message: UNREADABLE_MESSAGE,
  });
  const ALREADY_PARSED = Object.freeze({
    ok: false,
    code: 'body_already_parsed',
    message: 'The raw request body was consumed by another parser.',
  } as const);
  // Every answer of handle() passes here: the delivery's span and metrics end with it.
  const answer = (result: ReceiveResult, observed: DeliveryObservation | undefined) => {
    const response = receiveResponse(result);
    observed?.end(result, response.status);
    return response;
  };

  const handle = (input: WebhookRequest): Promise<WebhookResponse> =>
    withDelivery(telemetry, 'webhook', (observed) => answerDelivery(input, observed));

  async function answerDelivery(
    input: WebhookRequest,
    observed: DeliveryObservation | undefined,
  ): Promise<WebhookResponse> {
    // A missing request object is an adapter's bug: answered like a body nobody read.
    const request = typeof input === 'object' && input !== null ? input : NO_REQUEST;
    const log = isPasisLogger(request.logger) ? request.logger : logger;
    try {
      const { body } = request;
      if (request.bodyTooLarge === true) return answer(TOO_LARGE, observed);
      if (request.bodyUnreadable === true) return answer(UNREADABLE, observed);
      if (request.bodyTimedOut === true) return answer(TIMED_OUT, observed);
      if (!isRawBody(body)) {
        if (!warnedRawBody) {
          warnedRawBody = true;
          log.error(resolved.rawBodyHint ?? GENERIC_RAW_BODY_HINT, {
            deliveryId: claimedDeliveryId(request.headers),
            outcome: ALREADY_PARSED.code,
          });
        }
        return answer(ALREADY_PARSED, observed);
      }
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      if (size > maxBodyBytes) return answer(TOO_LARGE, observed);
      const delivery = verify ? verify(body, request.headers) : readUnsigned(body);
      const meta: ReceiveMeta = {
        source: 'webhook',
        deliveryId: delivery.id,
        verified: verify !== undefined,
        confirmed: confirm !== undefined,
        timestamp: Number.isNaN(delivery.timestamp) ? undefined : new Date(delivery.timestamp * 1000),
      };
      let { event } = delivery;
      if (confirm !== undefined) {
        const trusted = await confirmed(event);
        if (trusted === undefined && verify === undefined) return answer(IGNORED, observed);
        if (trusted !== undefined) event = trusted;
        else meta.confirmed = false; // a signed delivery of a kind Pasis cannot confirm
      }
      observed?.event(event, meta);
      // dispatch claims, runs the handlers and records success, awaiting only promises.
      const result = dispatch(event, meta, log, observed);
      return answer(isPromiseLike(result) ? await result : result, observed);
    } catch (error) {
      const deliveryId = claimedDeliveryId(request.headers);
      observed?.identify(deliveryId);
      if (isPasisError(error) && Object.hasOwn(WEBHOOK_ERROR_STATUS, error.code)) {
        const code = error.code as keyof typeof WEBHOOK_ERROR_STATUS;
        rejected(log, code, deliveryId); // at warn, rate-limited: forgeries cannot flood the log
        return answer(
          { ok: false, code, message: error.message, retryAfterMs: error.retryAfterMs },
          observed,
        );
      }
      unexpected(log, error, deliveryId, 'webhook');
      return answer(UNEXPECTED, observed);
    }
  }

  const receive = (event: PasisEvent | UnknownPasisEvent, meta: ReceiveMeta): Promise<ReceiveResult> =>
    withDelivery(telemetry, meta?.source === 'webhook' ? 'webhook' : 'reconcile', (observed) =>
      receiveEvent(event, meta, observed),
    );

  async function receiveEvent(
    event: PasisEvent | UnknownPasisEvent,
    meta: ReceiveMeta,
    observed: DeliveryObservation | undefined,
  ): Promise<ReceiveResult> {
    const log = isPasisLogger(meta?.logger) ? meta.logger : logger;
    let result: ReceiveResult;
    try {
      observed?.event(event, meta);
      result = await dispatch(event, meta, log, observed);
    } catch (error) {
      unexpected(log, error, meta?.deliveryId, meta?.source === 'webhook' ? 'webhook' : 'reconcile');
      result = UNEXPECTED;
    }
    observed?.end(result, resultStatus(result));
    return result;
  }

  const handler: WebhookReceiver<Tx> = {
    handle,
    fetch: (request: Request) => fetchHandler(request),
    receive,
    on: (kind, fn) => registry.add(kind, fn),
    maxBodyBytes,
    bodyTimeoutMs: resolved.bodyTimeoutMs,
  };
  const fetchHandler = toFetchHandler(handler, logger);
  return handler;
}
