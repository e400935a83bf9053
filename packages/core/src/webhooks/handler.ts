import { isPasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPromiseLike } from '../is-promise-like.js';
import { isPasisLogger } from '../logger.js';
import { configError } from '../config.js';
import { isKnownEventKind } from '../events/schemas.js';
import { createConfirmer } from './confirming.js';
import { createDispatch, IGNORED } from './dispatch.js';
import { toFetchHandler } from './fetch.js';
import { LeaseRenewer } from './lease-renewer.js';
import { type WebhookAdapterInfo, resolveWebhookOptions } from './options.js';
import {
  errorResponse,
  receiveResponse,
  unreadableResponse,
  WEBHOOK_ERROR_STATUS,
  type WebhookResponse,
} from './outcome.js';
import { HandlerRegistry } from './registry.js';
import type {
  ReceiveMeta,
  ReceiveResult,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookRequest,
} from './types.js';
import { createVerifier, isRawBody, type VerifiedDelivery } from './verify.js';

export { DEFAULT_MAX_BODY_BYTES } from './options.js';

const GENERIC_RAW_BODY_HINT =
  'The Pasis webhook received an already-parsed body: another body parser ran first. Register the ' +
  'webhook route before any JSON body parser, or give it the raw bytes; signatures can only be checked on them.';

const NO_REQUEST: WebhookRequest = Object.freeze({ body: undefined, headers: {} });

const UNEXPECTED: ReceiveResult = Object.freeze({
  ok: false,
  code: 'handler_failed',
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
): WebhookHandler<Tx> {
  const resolved = resolveWebhookOptions(options, adapter);
  const { logger, maxBodyBytes, keys } = resolved;
  const fail = (message: string) => configError(message, resolved.packageName);
  const verify = keys === undefined ? undefined : createVerifier(keys, resolved.toleranceSec, resolved.now);
  const confirm = resolved.confirmWith && createConfirmer(resolved.confirmWith);
  const registry = new HandlerRegistry(resolved.on, fail);
  const dispatch = createDispatch({
    registry,
    onUnknownEvent: resolved.onUnknownEvent,
    claims: {
      store: resolved.store,
      claimOptions: Object.freeze({ leaseMs: resolved.leaseMs }),
      completeOptions: Object.freeze({ ttlMs: resolved.doneTtlMs }),
      renewer: new LeaseRenewer(resolved.store, resolved.leaseMs, logger),
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
  let warnedRawBody = false;

  const tooLarge = () => errorResponse('body_too_large', `The body is larger than ${maxBodyBytes} bytes.`);

  async function handle(input: WebhookRequest): Promise<WebhookResponse> {
    // A missing request object is an adapter's bug: answered like a body nobody read.
    const request = typeof input === 'object' && input !== null ? input : NO_REQUEST;
    const log = isPasisLogger(request.logger) ? request.logger : logger;
    try {
      const { body } = request;
      if (request.bodyTooLarge === true) return tooLarge();
      if (request.bodyUnreadable === true) return unreadableResponse();
      if (!isRawBody(body)) {
        if (!warnedRawBody) {
          warnedRawBody = true;
          log.error(resolved.rawBodyHint ?? GENERIC_RAW_BODY_HINT);
        }
        return errorResponse('body_already_parsed', 'The raw request body was consumed by another parser.');
      }
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      if (size > maxBodyBytes) return tooLarge();
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
        if (trusted === undefined && verify === undefined) return receiveResponse(IGNORED);
        if (trusted !== undefined) event = trusted;
        else meta.confirmed = false; // a signed delivery of a kind Pasis cannot confirm
      }
      // dispatch claims, runs the handlers and records success, awaiting only promises.
      const result = dispatch(event, meta, log);
      return receiveResponse(isPromiseLike(result) ? await result : result);
    } catch (error) {
      if (isPasisError(error) && Object.hasOwn(WEBHOOK_ERROR_STATUS, error.code)) {
        log.warn(`Pasis webhook rejected: ${error.code}`, { code: error.code });
        return errorResponse(error.code as keyof typeof WEBHOOK_ERROR_STATUS, error.message);
      }
      log.error('Pasis webhook: unexpected error', { error });
      return receiveResponse(UNEXPECTED);
    }
  }

  async function receive(event: PasisEvent | UnknownPasisEvent, meta: ReceiveMeta): Promise<ReceiveResult> {
    const log = isPasisLogger(meta?.logger) ? meta.logger : logger;
    try {
      return await dispatch(event, meta, log);
    } catch (error) {
      log.error('Pasis webhook: unexpected error', { error });
      return UNEXPECTED;
    }
  }

  const handler: WebhookHandler<Tx> = {
    handle,
    fetch: (request: Request) => fetchHandler(request),
    receive,
    on: (kind, fn) => registry.add(kind, fn),
    maxBodyBytes,
  };
  const fetchHandler = toFetchHandler(handler, logger);
  return handler;
}
