import { type ClaimOutcome, type ClaimSettings, runClaimed } from '../dedupe/claim.js';
import { dedupeKey } from '../dedupe/dedupe-key.js';
import { isKnownEventKind } from '../events/schemas.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import type { PasisLogger } from '../logging/logger.js';
import type { DeliveryObservation } from '../telemetry/delivery.js';
import type { Refusal } from './messages.js';
import type { ReceiveMeta, ReceiveResult } from './receiver-types.js';
import type { HandlerRegistry } from './registry.js';
import { runHandlers } from './run-handlers.js';
import type { UnknownEventHandler, WebhookContext } from './types.js';

/** The answer when nobody listens to an event's kind (and for an unknown kind once handled). */
export const IGNORED: ReceiveResult = Object.freeze({ ok: true, outcome: 'ignored' });
const HANDLED: ReceiveResult = Object.freeze({ ok: true, outcome: 'handled' });
const DUPLICATE: ReceiveResult = Object.freeze({ ok: true, outcome: 'duplicate' });

function toReceiveResult(outcome: ClaimOutcome, known: boolean, refuse: Refusal): ReceiveResult {
  // An unknown kind is answered `ignored` even once onUnknownEvent ran: nothing was handled.
  if (outcome === 'handled') return known ? HANDLED : IGNORED;
  if (outcome === 'duplicate') return DUPLICATE;
  return refuse(outcome);
}

/** What a receiver dispatches with. */
export interface DispatchSettings {
  registry: HandlerRegistry;
  claims: ClaimSettings;
  onUnknownEvent: UnknownEventHandler<never> | undefined;
  /** The receiver's refusals: each code with its one message. */
  refuse: Refusal;
}

/**
 * Runs an event through its handlers (or `onUnknownEvent`) under the store's claim on its
 * dedupe key, or answers at once (synchronously) when nobody listens to its kind. Shared by
 * deliveries and trusted events (the reconciler), so both dedupe alike.
 */
export function createDispatch({ registry, claims, onUnknownEvent, refuse }: DispatchSettings) {
  // A known kind with nobody listening is most often a wiring mistake (a handler never
  // registered) that would drop payments without a trace: said once per kind, at warn.
  const warnedIdle = new Set<string>();
  return function dispatch(
    event: PasisEvent | UnknownPasisEvent,
    meta: ReceiveMeta,
    log: PasisLogger,
    observed?: DeliveryObservation,
  ): ReceiveResult | Promise<ReceiveResult> {
    const handlers = registry.handlersFor(event);
    const known = isKnownEventKind(event.kind);
    if (handlers.length === 0 && (known || onUnknownEvent === undefined)) {
      const fields = { deliveryId: meta.deliveryId, kind: event.kind, outcome: 'ignored' };
      if (known && !warnedIdle.has(event.kind)) {
        warnedIdle.add(event.kind);
        log.warn(
          `Pasis webhook: no handler for ${event.kind}; answered 200 ignored, the event is not handled`,
          fields,
        );
      } else log.debug('Pasis webhook ignored: no handler for this kind', fields);
      return IGNORED;
    }
    // The context is built once the claim is held: a transactional store's tx comes with it.
    const work = (tx: unknown, afterCommit: WebhookContext<unknown>['afterCommit']) => {
      const ctx: WebhookContext<unknown> = {
        deliveryId: meta.deliveryId,
        timestamp: meta.timestamp,
        verified: meta.verified === true,
        confirmed: meta.confirmed === true,
        source: meta.source,
        tx,
        logger: log,
        afterCommit,
      };
      const run = () =>
        known
          ? runHandlers(handlers, event as PasisEvent, ctx)
          : onUnknownEvent?.(event as UnknownPasisEvent, ctx as never);
      return observed === undefined ? run() : observed.timeHandler(run);
    };
    const key = dedupeKey(event, meta.deliveryId);
    observed?.storeStarted();
    const sessionId = typeof event.session_id === 'string' ? event.session_id : undefined;
    const claimMeta = { deliveryId: meta.deliveryId, kind: event.kind, sessionId, source: meta.source };
    return runClaimed(claims, key, claimMeta, log, work).then((outcome) => {
      observed?.storeEnded();
      return toReceiveResult(outcome, known, refuse);
    });
  };
}
