import type { ClaimResult, WebhookStore } from '../dedupe/store.js';
import type { WebhookErrorCode } from '../errors.js';
import { isPromiseLike } from '../is-promise-like.js';
import type { PasisLogger } from '../logger.js';
import type { LeaseRenewer } from './lease-renewer.js';

/** What running a delivery under a claim came to. */
export type ClaimOutcome = 'handled' | 'duplicate' | { code: WebhookErrorCode; message: string };

/** The fixed parts of every claimed run of one receiver. */
export interface ClaimSettings {
  store: WebhookStore<unknown>;
  /** Passed to every `claim` as it is: built once per receiver, not per delivery. */
  claimOptions: { readonly leaseMs: number };
  /** Passed to every `complete` as it is. */
  completeOptions: { readonly ttlMs: number };
  renewer: LeaseRenewer;
}

const STORE_DOWN = {
  code: 'store_unavailable',
  message: 'The deduplication store is unavailable; retry later.',
} as const;
const IN_PROGRESS = {
  code: 'in_progress',
  message: 'This delivery is being handled right now; retry later.',
} as const;
const HANDLER_FAILED = {
  code: 'handler_failed',
  message: 'The event handler failed; the delivery will be retried.',
} as const;

// A literal, not a spread of meta plus a property, which is several times slower in V8: the
// success line is built on every delivery, even for a logger that drops debug.
const fields = (meta: { deliveryId: string; kind: string }, outcome: string, error?: unknown) =>
  error === undefined
    ? { deliveryId: meta.deliveryId, kind: meta.kind, outcome }
    : { deliveryId: meta.deliveryId, kind: meta.kind, outcome, error };

/**
 * Runs `work` at most once per key across everyone sharing the store: claim (atomic, with
 * a lease renewed while the work runs, or a transaction the work writes in), then complete
 * on success or release on failure so that the redelivery runs it again. The key is only
 * marked done after `work` succeeded.
 *
 * Only promises are awaited: with a synchronous store (the default, in memory) a delivery
 * whose handler is synchronous never leaves the current turn, and an async one costs only
 * its own awaits.
 */
export async function runClaimed(
  settings: ClaimSettings,
  key: string,
  meta: { deliveryId: string; kind: string },
  logger: PasisLogger,
  work: (tx: unknown) => unknown,
): Promise<ClaimOutcome> {
  const { store } = settings;
  let claim: ClaimResult<unknown>;
  try {
    const claiming = store.claim(key, settings.claimOptions);
    claim = isPromiseLike(claiming) ? await claiming : claiming;
  } catch (error) {
    logger.error('Pasis webhook: the dedupe store failed to claim', fields(meta, STORE_DOWN.code, error));
    return STORE_DOWN;
  }
  if (claim.state === 'completed') {
    logger.debug('Pasis webhook duplicate: already handled', fields(meta, 'duplicate'));
    return 'duplicate';
  }
  if (claim.state === 'in_progress') {
    logger.debug('Pasis webhook in progress elsewhere; answered 409', fields(meta, IN_PROGRESS.code));
    return IN_PROGRESS;
  }
  const { token } = claim;
  const stopRenewing = settings.renewer.hold(key, token, meta.deliveryId);
  try {
    // A transactional store hands its transaction to the handlers; a lease store has none.
    const working = work(claim.tx);
    if (isPromiseLike(working)) await working;
  } catch (error) {
    stopRenewing();
    logger.error(
      'Pasis webhook handler failed; the delivery will be retried',
      fields(meta, HANDLER_FAILED.code, error),
    );
    try {
      const releasing = store.release(key, token);
      if (isPromiseLike(releasing)) await releasing;
    } catch (releaseError) {
      // The lease will expire on its own; the redelivery then runs the handler.
      logger.warn(
        'Pasis webhook: could not release the claim',
        fields(meta, HANDLER_FAILED.code, releaseError),
      );
    }
    return HANDLER_FAILED;
  }
  stopRenewing();
  try {
    const completing = store.complete(key, token, settings.completeOptions);
    if (isPromiseLike(completing)) await completing;
  } catch (error) {
    // The handler ran, but we cannot remember it: answering 2xx would be a lie about
    // dedupe, so ask for a retry (handlers must tolerate at-least-once anyway).
    logger.error(
      'Pasis webhook: the handler ran but the dedupe store failed to record it',
      fields(meta, STORE_DOWN.code, error),
    );
    return STORE_DOWN;
  }
  logger.debug('Pasis webhook handled', fields(meta, 'handled'));
  return 'handled';
}
