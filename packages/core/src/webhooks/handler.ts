import { readEnvDefault } from '../config.js';
import { isPasisError, PasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import { isKnownEventKind } from '../events/schemas.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { defaultLogger, type PasisLogger } from '../logger.js';
import { createMemoryStore } from '../dedupe/memory-store.js';
import { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS } from '../dedupe/store.js';
import { runClaimed } from './claim.js';
import { runHandlers } from './run-handlers.js';
import { LeaseRenewer } from './lease-renewer.js';
import { toFetchHandler } from './fetch.js';
import { acceptedResponse, errorResponse, WEBHOOK_ERROR_STATUS, type WebhookResponse } from './outcome.js';
import { HandlerRegistry } from './registry.js';
import type { WebhookContext, WebhookHandler, WebhookHandlerOptions, WebhookRequest } from './types.js';
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
export function createWebhookHandler(options: WebhookHandlerOptions = {}): WebhookHandler {
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
  const store = options.store ?? createMemoryStore();
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
   * What a verified delivery will run: its handlers (or `onUnknownEvent`) as one `work`,
   * or, when nobody listens to its kind, the answer right away.
   */
  function dispatch(delivery: VerifiedDelivery, log: PasisLogger): WebhookResponse | Dispatch {
    const { event } = delivery;
    const handlers = registry.handlersFor(event);
    const known = isKnownEventKind(event.kind);
    if (handlers.length === 0 && (known || onUnknownEvent === undefined)) {
      log.debug('Pasis webhook ignored: no handler for this kind', {
        deliveryId: delivery.id,
        kind: event.kind,
      });
      return acceptedResponse('ignored');
    }
    const ctx: WebhookContext = {
      deliveryId: delivery.id,
      timestamp: Number.isNaN(delivery.timestamp) ? undefined : new Date(delivery.timestamp * 1000),
      verified: !unsigned,
      logger: log,
    };
    const work = known
      ? () => runHandlers(handlers, event as PasisEvent, ctx)
      : () => onUnknownEvent?.(event as UnknownPasisEvent, ctx);
    return { work, known };
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
      const planned = dispatch(delivery, log);
      if (!('work' in planned)) return planned;
      // runClaimed claims, runs the handlers and records success, awaiting only promises.
      const outcome = await runClaimed(claims, delivery.id, delivery.event.kind, log, planned.work);
      return outcome === 'handled' && !planned.known ? acceptedResponse('ignored') : outcomeResponse(outcome);
    } catch (error) {
      if (isPasisError(error) && Object.hasOwn(WEBHOOK_ERROR_STATUS, error.code)) {
        log.warn(`Pasis webhook rejected: ${error.code}`, { code: error.code });
        return errorResponse(error.code as keyof typeof WEBHOOK_ERROR_STATUS, error.message);
      }
      log.error('Pasis webhook: unexpected error', { error });
      return errorResponse('handler_failed', 'The delivery could not be handled; it will be retried.');
    }
  }

  const handler: WebhookHandler = {
    handle,
    fetch: (request: Request) => fetchHandler(request),
    on: (kind, fn) => registry.add(kind, fn),
    maxBodyBytes,
  };
  const fetchHandler = toFetchHandler(handler);
  return handler;
}

/** A delivery that has someone to run it. */
interface Dispatch {
  work: () => unknown;
  known: boolean;
}

function outcomeResponse(outcome: Awaited<ReturnType<typeof runClaimed>>): WebhookResponse {
  return typeof outcome === 'string'
    ? acceptedResponse(outcome)
    : errorResponse(outcome.code, outcome.message);
}
