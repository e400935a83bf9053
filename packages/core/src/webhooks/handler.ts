import { readEnvDefault } from '../config.js';
import { isPromiseLike } from '../is-promise-like.js';
import { isPasisError, PasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import { isKnownEventKind } from '../events/schemas.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { defaultLogger, type PasisLogger } from '../logger.js';
import { createMemoryStore } from '../dedupe/memory-store.js';
import { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS, type WebhookStore } from '../dedupe/store.js';
import { type ClaimOutcome, runClaimed } from './claim.js';
import { dedupeKey } from './dedupe-key.js';
import { runHandlers } from './run-handlers.js';
import { LeaseRenewer } from './lease-renewer.js';
import { toFetchHandler } from './fetch.js';
import { acceptedResponse, errorResponse, WEBHOOK_ERROR_STATUS, type WebhookResponse } from './outcome.js';
import { HandlerRegistry } from './registry.js';
import type {
  ReceiveMeta,
  ReceiveResult,
  WebhookContext,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookRequest,
} from './types.js';
import { checkTolerance, createVerifier, decodeSecrets, type VerifiedDelivery } from './verify.js';

/** Default body limit: 256 KiB, far above any Pasis event. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const GENERIC_RAW_BODY_HINT =
  'The Pasis webhook received an already-parsed body: another body parser ran first. Register the ' +
  'webhook route before any JSON body parser, or give it the raw bytes; signatures can only be checked on them.';

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new PasisError('config_error', `${name} must be a positive integer, got ${value}.`);
  }
  return value;
}

function isRawBody(body: unknown): body is Uint8Array | string {
  return typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * Builds a webhook receiver that owns the whole protocol: verification over the raw
 * bytes, parsing, deduplication, running the handlers and the status of every answer.
 * Adapters only hand it `{ body, headers }` and write its `{ status, headers, body }` back.
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
): WebhookHandler<Tx> {
  const logger = options.logger ?? defaultLogger;
  const unsigned = options.unsafeAllowUnsigned === true;
  if (unsigned && (options.secret !== undefined || options.secrets !== undefined)) {
    throw new PasisError(
      'config_error',
      'Pass either a webhook secret or unsafeAllowUnsigned: true, not both.',
    );
  }
  const secret = unsigned
    ? undefined
    : (options.secret ?? (options.secrets ? undefined : readEnvDefault('PASIS_WEBHOOK_SECRET')));
  if (!unsigned && secret === undefined && (options.secrets?.length ?? 0) === 0) {
    throw new PasisError(
      'config_error',
      'A webhook secret is required: pass `secret` (or `secrets` during a rotation) or set PASIS_WEBHOOK_SECRET. ' +
        'To accept unsigned deliveries (unsafe), pass unsafeAllowUnsigned: true.',
    );
  }
  const verify = unsigned
    ? undefined
    : createVerifier(
        decodeSecrets(secret, options.secrets),
        checkTolerance(options.toleranceSec),
        options.now,
      );
  if (unsigned) checkTolerance(options.toleranceSec);
  const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? DEFAULT_LEASE_MS);
  const doneTtlMs = positiveInteger('doneTtlMs', options.doneTtlMs ?? DEFAULT_DONE_TTL_MS);
  // The claim's `tx` is only handed on to the handlers, so its type does not matter here.
  const store = (options.store ?? createMemoryStore()) as WebhookStore<unknown>;
  const registry = new HandlerRegistry(options.on);
  const renewer = new LeaseRenewer(store, leaseMs, logger);
  const onUnknownEvent = options.onUnknownEvent;
  if (onUnknownEvent !== undefined && typeof onUnknownEvent !== 'function') {
    throw new PasisError('config_error', 'onUnknownEvent must be a function.');
  }
  if (unsigned) logger.warn('Pasis webhooks: unsafeAllowUnsigned is on, so signatures are NOT verified.');
  let warnedRawBody = false;

  function readUnsigned(body: Uint8Array | string): VerifiedDelivery {
    const event = parseEvent(decodeBody(body));
    // Without a signature there is no trustworthy id: what the event says is the key.
    const derived = `${event.kind}:${String(event.session_id ?? '')}:${String(event.status ?? '')}`;
    return { event, id: derived, timestamp: Number.NaN };
  }

  const claims = {
    store,
    claimOptions: Object.freeze({ leaseMs }),
    completeOptions: Object.freeze({ ttlMs: doneTtlMs }),
    renewer,
  };

  /**
   * Runs an event through its handlers (or `onUnknownEvent`) under the store's claim on its
   * dedupe key, or answers at once when nobody listens to its kind. Shared by deliveries
   * (`handle`) and trusted events (`receive`: the reconciler), so both dedupe alike.
   */
  function run(
    event: PasisEvent | UnknownPasisEvent,
    meta: ReceiveMeta,
    log: PasisLogger,
  ): ReceiveResult | Promise<ReceiveResult> {
    const handlers = registry.handlersFor(event);
    const known = isKnownEventKind(event.kind);
    if (handlers.length === 0 && (known || onUnknownEvent === undefined)) {
      log.debug('Pasis webhook ignored: no handler for this kind', {
        deliveryId: meta.deliveryId,
        kind: event.kind,
      });
      return IGNORED;
    }
    const work = (tx: unknown) => {
      const ctx: WebhookContext<unknown> = {
        deliveryId: meta.deliveryId,
        timestamp: meta.timestamp,
        verified: meta.verified === true,
        confirmed: meta.confirmed === true,
        source: meta.source,
        tx,
        logger: log,
      };
      return known
        ? runHandlers(handlers, event as PasisEvent, ctx)
        : onUnknownEvent?.(event as UnknownPasisEvent, ctx as WebhookContext<Tx>);
    };
    const key = dedupeKey(event, meta.deliveryId);
    return runClaimed(claims, key, { deliveryId: meta.deliveryId, kind: event.kind }, log, work).then(
      (outcome) => toReceiveResult(outcome, known),
    );
  }

  function receive(event: PasisEvent | UnknownPasisEvent, meta: ReceiveMeta): Promise<ReceiveResult> {
    const log = meta?.logger ?? logger;
    try {
      return Promise.resolve(run(event, meta, log));
    } catch (error) {
      log.error('Pasis webhook: unexpected error', { error });
      return Promise.resolve(HANDLER_FAILED_RESULT);
    }
  }

  const tooLarge = () => errorResponse('body_too_large', `The body is larger than ${maxBodyBytes} bytes.`);

  async function handle(request: WebhookRequest): Promise<WebhookResponse> {
    const log = request.logger ?? logger;
    try {
      const { body } = request;
      if (request.bodyTooLarge === true) return tooLarge();
      if (!isRawBody(body)) {
        if (!warnedRawBody) {
          warnedRawBody = true;
          log.error(options.rawBodyHint ?? GENERIC_RAW_BODY_HINT);
        }
        return errorResponse('body_already_parsed', 'The raw request body was consumed by another parser.');
      }
      const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
      if (size > maxBodyBytes) return tooLarge();
      const delivery = verify ? verify(body, request.headers) : readUnsigned(body);
      const meta: ReceiveMeta = {
        source: 'webhook',
        deliveryId: delivery.id,
        verified: !unsigned,
        timestamp: Number.isNaN(delivery.timestamp) ? undefined : new Date(delivery.timestamp * 1000),
      };
      // run claims, runs the handlers and records success, awaiting only promises.
      const result = run(delivery.event, meta, log);
      return toResponse(isPromiseLike(result) ? await result : result);
    } catch (error) {
      if (isPasisError(error) && Object.hasOwn(WEBHOOK_ERROR_STATUS, error.code)) {
        log.warn(`Pasis webhook rejected: ${error.code}`, { code: error.code });
        return errorResponse(error.code as keyof typeof WEBHOOK_ERROR_STATUS, error.message);
      }
      log.error('Pasis webhook: unexpected error', { error });
      return errorResponse('handler_failed', 'The delivery could not be handled; it will be retried.');
    }
  }

  const handler: WebhookHandler<Tx> = {
    handle,
    fetch: (request: Request) => fetchHandler(request),
    receive,
    on: (kind, fn) => registry.add(kind, fn),
    maxBodyBytes,
  };
  const fetchHandler = toFetchHandler(handler);
  return handler;
}

const IGNORED: ReceiveResult = Object.freeze({ ok: true, outcome: 'ignored' });
const HANDLED: ReceiveResult = Object.freeze({ ok: true, outcome: 'handled' });
const DUPLICATE: ReceiveResult = Object.freeze({ ok: true, outcome: 'duplicate' });
const HANDLER_FAILED_RESULT: ReceiveResult = Object.freeze({
  ok: false,
  code: 'handler_failed',
  message: 'The delivery could not be handled; it will be retried.',
});

function toReceiveResult(outcome: ClaimOutcome, known: boolean): ReceiveResult {
  // An unknown kind is answered `ignored` even once onUnknownEvent ran: nothing was handled.
  if (outcome === 'handled') return known ? HANDLED : IGNORED;
  if (outcome === 'duplicate') return DUPLICATE;
  return { ok: false, code: outcome.code, message: outcome.message };
}

function toResponse(result: ReceiveResult): WebhookResponse {
  return result.ok ? acceptedResponse(result.outcome) : errorResponse(result.code, result.message);
}
