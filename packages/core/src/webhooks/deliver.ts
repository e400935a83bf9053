/**
 * One delivery, from what `handle()` (or `fetch()`) was given to its answer: its body (bytes,
 * or a reader's refusal), verification (or the unsigned key), confirm-by-fetch, and dispatch
 * under the store's claim. Every outcome is a `ReceiveResult` with its code's one message,
 * answered from the status table, and the delivery's telemetry ends with it.
 */
import { isPasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPasisLogger, type PasisLogger } from '../logging/logger.js';
import type { RejectionLog } from '../logging/rejection-log.js';
import type { DeliveryObservation } from '../telemetry/delivery.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import { bodyOf } from './body.js';
import { type createDispatch, IGNORED } from './dispatch.js';
import type { Refusal } from './messages.js';
import { receiveResponse, WEBHOOK_ERROR_STATUS } from './outcome.js';
import type { ReceiveMeta, ReceiveResult, WebhookRequest, WebhookResponse } from './receiver-types.js';
import { claimedDeliveryId, type createVerifier, type VerifiedDelivery } from './verifier.js';

const NO_REQUEST: WebhookRequest = Object.freeze({ headers: {} });

/** Without a signature there is no trustworthy id: what the event says is the key. */
function readUnsigned(body: Uint8Array | string): VerifiedDelivery {
  const event = parseEvent(decodeBody(body));
  const derived = `${event.kind}:${String(event.session_id ?? '')}:${String(event.status ?? '')}`;
  return { event, id: derived, timestamp: Number.NaN };
}

/**
 * What a receiver answers its deliveries with, fixed at construction.
 *
 * @example
 * const deliver = createDeliver({ maxBodyBytes, logger, verify, confirm, dispatch, refuse, rejected, unexpected });
 */
export interface DeliverySettings {
  maxBodyBytes: number;
  /** The receiver's logger: a delivery's own (`request.logger`) wins. */
  logger: PasisLogger;
  /** Verifies a signed delivery; `undefined` when the receiver takes unsigned ones. */
  verify: ReturnType<typeof createVerifier> | undefined;
  /**
   * Confirm-by-fetch: the event to hand the handlers, rebuilt from Pasis's answer, or
   * `undefined` for a kind nobody can confirm. `undefined` when confirm is off.
   */
  confirm: ((event: PasisEvent | UnknownPasisEvent) => Promise<PasisEvent | undefined>) | undefined;
  dispatch: ReturnType<typeof createDispatch>;
  refuse: Refusal;
  /** The rate-limited line for a delivery refused with a code. */
  rejected: RejectionLog;
  /** The line for an error that is a bug (ours or a store's), with its cause. */
  unexpected: (log: PasisLogger, error: unknown, deliveryId: string | undefined) => void;
}

/**
 * Builds a receiver's delivery path. `hint` is the advice logged (once per hint, at error)
 * when a body arrives already parsed: how to order the adapter's middleware, or, for
 * `fetch()`, not to read the Request first.
 *
 * @example
 * const deliver = createDeliver(settings);
 * const { status, headers, body } = await deliver({ body: raw, headers: req.headers }, observed, RAW_BODY_HINT);
 */
export function createDeliver(settings: DeliverySettings) {
  const { maxBodyBytes, verify, confirm, dispatch, refuse } = settings;
  const hinted = new Set<string>();
  // Every answer passes here: the delivery's span and metrics end with the status it is
  // answered with. Inside the one async function, not in a .then() after it: a delivery
  // costs one promise, not two (bench/webhooks.bench.mjs, the handle() row).
  const respond = (result: ReceiveResult, observed: DeliveryObservation | undefined): WebhookResponse => {
    const response = receiveResponse(result);
    observed?.end(result, response.status);
    return response;
  };

  return async function deliver(
    input: WebhookRequest,
    observed: DeliveryObservation | undefined,
    hint: string,
  ): Promise<WebhookResponse> {
    // A missing request object is an adapter's bug: answered like a body nobody read.
    const request = typeof input === 'object' && input !== null ? input : NO_REQUEST;
    const log = isPasisLogger(request.logger) ? request.logger : settings.logger;
    try {
      const bytes = bodyOf(request, maxBodyBytes);
      if (typeof bytes === 'object' && !(bytes instanceof Uint8Array)) {
        const code = bytes.refused;
        if (code === 'body_already_parsed' && !hinted.has(hint)) {
          hinted.add(hint);
          log.error(hint, { deliveryId: claimedDeliveryId(request.headers), outcome: code });
        }
        return respond(refuse(code), observed);
      }
      const delivery = verify ? verify(bytes, request.headers) : readUnsigned(bytes);
      const meta: ReceiveMeta = {
        source: 'webhook',
        deliveryId: delivery.id,
        verified: verify !== undefined,
        confirmed: confirm !== undefined,
        timestamp: Number.isNaN(delivery.timestamp) ? undefined : new Date(delivery.timestamp * 1000),
      };
      let { event } = delivery;
      if (confirm !== undefined) {
        const trusted = await confirm(event);
        if (trusted === undefined && verify === undefined) return respond(IGNORED, observed);
        if (trusted !== undefined) event = trusted;
        else meta.confirmed = false; // a signed delivery of a kind Pasis cannot confirm
      }
      observed?.event(event, meta);
      // dispatch claims, runs the handlers and records success, awaiting only promises.
      const result = dispatch(event, meta, log, observed);
      return respond(isPromiseLike(result) ? await result : result, observed);
    } catch (error) {
      const deliveryId = claimedDeliveryId(request.headers);
      observed?.identify(deliveryId);
      if (isPasisError(error) && Object.hasOwn(WEBHOOK_ERROR_STATUS, error.code)) {
        const code = error.code as keyof typeof WEBHOOK_ERROR_STATUS;
        // At warn, rate-limited (forgeries cannot flood the log), with the detail the answer omits.
        settings.rejected(log, code, deliveryId, error.message);
        return respond(refuse(code, error.retryAfterMs), observed);
      }
      settings.unexpected(log, error, deliveryId);
      return respond(refuse('handler_failed'), observed);
    }
  };
}
