import type { WebhookErrorCode } from '../errors.js';
import type { WebhookStore } from '../dedupe/store.js';
import type { PasisLogger } from '../logger.js';
import type { LeaseRenewer } from './lease-renewer.js';

/** What running a delivery under a claim came to. */
export type ClaimOutcome = 'handled' | 'duplicate' | { code: WebhookErrorCode; message: string };

interface ClaimRun {
  store: WebhookStore;
  key: string;
  leaseMs: number;
  doneTtlMs: number;
  logger: PasisLogger;
  kind: string;
  renewer: LeaseRenewer;
}

const STORE_DOWN = {
  code: 'store_unavailable',
  message: 'The deduplication store is unavailable; retry later.',
} as const;

/**
 * Runs `work` at most once per key across everyone sharing the store: claim (atomic, with
 * a lease renewed while the work runs), then complete on success or release on failure so
 * that the redelivery runs it again. The key is only marked done after `work` succeeded.
 */
export async function runClaimed(run: ClaimRun, work: () => Promise<void>): Promise<ClaimOutcome> {
  const { store, key, logger } = run;
  const meta = { deliveryId: key, kind: run.kind };
  let claim: Awaited<ReturnType<WebhookStore['claim']>>;
  try {
    claim = await store.claim(key, { leaseMs: run.leaseMs });
  } catch (error) {
    logger.error('Pasis webhook: the dedupe store failed to claim', { ...meta, error });
    return STORE_DOWN;
  }
  if (claim.state === 'completed') {
    logger.debug('Pasis webhook duplicate: already handled', meta);
    return 'duplicate';
  }
  if (claim.state === 'in_progress') {
    return { code: 'in_progress', message: 'This delivery is being handled right now; retry later.' };
  }
  const { token } = claim;
  const stopRenewing = run.renewer.hold(key, token);
  try {
    await work();
  } catch (error) {
    stopRenewing();
    logger.error('Pasis webhook handler failed; the delivery will be retried', { ...meta, error });
    await store.release(key, token).catch((releaseError: unknown) => {
      // The lease will expire on its own; the redelivery then runs the handler.
      logger.warn('Pasis webhook: could not release the claim', { ...meta, error: releaseError });
    });
    return { code: 'handler_failed', message: 'The event handler failed; the delivery will be retried.' };
  }
  stopRenewing();
  try {
    await store.complete(key, token, { ttlMs: run.doneTtlMs });
  } catch (error) {
    // The handler ran, but we cannot remember it: answering 2xx would be a lie about
    // dedupe, so ask for a retry (handlers must tolerate at-least-once anyway).
    logger.error('Pasis webhook: the handler ran but the dedupe store failed to record it', {
      ...meta,
      error,
    });
    return STORE_DOWN;
  }
  logger.debug('Pasis webhook handled', meta);
  return 'handled';
}
