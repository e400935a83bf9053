import { configError } from '../config.js';
import { LeaseRenewer } from '../dedupe/lease-renewer.js';
import { isKnownEventKind } from '../events/schemas.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { createFailureLog } from '../logging/failure-log.js';
import { errorSummary } from '../logging/format.js';
import { isPasisLogger, type PasisLogger } from '../logging/logger.js';
import { createRejectionLog } from '../logging/rejection-log.js';
import type { DeliveryObservation } from '../telemetry/delivery.js';
import { createWebhookTelemetry, withDelivery } from '../telemetry/webhook-telemetry.js';
import { createConfirmer } from './confirming.js';
import { createDeliver } from './deliver.js';
import { createDispatch } from './dispatch.js';
import { fetchAnswerer, USED_BODY_HINT } from './fetch.js';
import { refusals, webhookMessages } from './messages.js';
import { resolveWebhookOptions } from './options.js';
import { resultStatus } from './outcome.js';
import type {
  ReceiveMeta,
  ReceiveResult,
  WebhookAdapterInfo,
  WebhookReceiver,
  WebhookRequest,
  WebhookResponse,
} from './receiver-types.js';
import { HandlerRegistry } from './registry.js';
import type { WebhookHandlerOptions } from './types.js';
import { createVerifier } from './verifier.js';

const GENERIC_RAW_BODY_HINT =
  'The Pasis webhook received an already-parsed body: another body parser ran first. Register the ' +
  'webhook route before any JSON body parser, or give it the raw bytes; signatures can only be checked on them.';

/**
 * Builds a webhook receiver that owns the whole protocol: verification over the raw
 * bytes, parsing, deduplication, running the handlers and the status and message of every
 * answer. Adapters only hand it the body (the raw bytes, or their reader's result) and the
 * headers, and write its `{ status, headers, body }` back. Every option is validated here (a
 * `config_error` naming `adapter.name`, default `@pasis/core`); see
 * {@link WebhookHandlerOptions} for the defaults.
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
  const { logger, maxBodyBytes, keys, bodyTimeoutMs } = resolved;
  const fail = (message: string) => configError(resolved.packageName, message);
  const confirmer =
    resolved.confirmWith &&
    createConfirmer(resolved.confirmWith, { maxInFlight: resolved.confirmMaxInFlight, now: resolved.now });
  const registry = new HandlerRegistry(resolved.on, fail);
  const failures = createFailureLog(resolved.now);
  const refuse = refusals(webhookMessages({ maxBodyBytes, bodyTimeoutMs }));
  const dispatch = createDispatch({
    registry,
    onUnknownEvent: resolved.onUnknownEvent,
    refuse,
    claims: {
      store: resolved.store,
      claimOptions: Object.freeze({ leaseMs: resolved.leaseMs }),
      completeOptions: Object.freeze({ ttlMs: resolved.doneTtlMs }),
      renewer: new LeaseRenewer(resolved.store, resolved.leaseMs, logger),
      failures,
    },
  });
  if (keys === undefined && confirmer === undefined) {
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
  const confirm =
    confirmer &&
    (async (event: PasisEvent | UnknownPasisEvent): Promise<PasisEvent | undefined> => {
      if (!isKnownEventKind(event.kind)) return undefined;
      if (registry.handlersFor(event).length === 0) return event as PasisEvent; // ignored: no fetch
      return confirmer(event as PasisEvent);
    });
  // A bug of ours or of a store (never a bad delivery, which has a code): said with its cause.
  const unexpected = (log: PasisLogger, error: unknown, deliveryId: string | undefined, source: string) =>
    failures(
      log,
      `Pasis ${source}: unexpected error; answered handler_failed, so it is retried: ${errorSummary(error)}`,
      { deliveryId, outcome: 'handler_failed', error },
      'unexpected',
    );
  const deliver = createDeliver({
    maxBodyBytes,
    logger,
    verify: keys === undefined ? undefined : createVerifier(keys, resolved.toleranceSec, resolved.now),
    confirm,
    dispatch,
    refuse,
    rejected: createRejectionLog(resolved.now, logger),
    unexpected: (log, error, deliveryId) => unexpected(log, error, deliveryId, 'webhook'),
  });
  // Asked per delivery, cheaply: nothing is recorded while no provider is registered.
  const telemetry = createWebhookTelemetry(resolved.telemetry);
  const rawBodyHint = resolved.rawBodyHint ?? GENERIC_RAW_BODY_HINT;

  // handle() and fetch() alike: one delivery inside its span, answered by deliver().
  const handleWith = (input: WebhookRequest, hint: string): Promise<WebhookResponse> =>
    withDelivery(telemetry, 'webhook', (observed) => deliver(input, observed, hint));

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
      result = refuse('handler_failed');
    }
    observed?.end(result, resultStatus(result));
    return result;
  }

  // Fetch reads the Request's body into a reader's result; handle() answers it like any other.
  const fetch = fetchAnswerer(
    (request, fromFetch) => handleWith(request, fromFetch ? USED_BODY_HINT : rawBodyHint),
    maxBodyBytes,
  );
  return {
    handle: (input: WebhookRequest) => handleWith(input, rawBodyHint),
    fetch,
    receive,
    on: (kind, fn) => registry.add(kind, fn),
    maxBodyBytes,
    bodyTimeoutMs,
  };
}
