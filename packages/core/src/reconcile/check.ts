/**
 * Checking one session: ask Pasis (§1b), and when it has ended, run it through the
 * webhook receiver's handlers under the receiver's own dedupe (a `session:processed` is
 * claimed per session outcome, so the webhook and the reconciler share one key).
 */
import { isPasisError, PasisError } from '../errors.js';
import { sessionProcessedEvent } from '../events/from-session.js';
import type { PasisLogger } from '../logging/logger.js';
import type { ReceiveResult } from '../webhooks/receiver-types.js';
import type { CheckResult } from './results.js';
import type { ReconcilerOptions } from './types.js';

/** What a check needs. */
export interface CheckDeps {
  client: ReconcilerOptions<unknown>['client'];
  webhooks: ReconcilerOptions<unknown>['webhooks'];
  /** Handed to handlers as `ctx.logger` when the app gave the reconciler one. */
  handlerLogger: PasisLogger | undefined;
}

/** The `ctx.deliveryId` handlers see for an outcome the reconciler found. */
export function reconcileDeliveryId(sessionId: string): string {
  return `reconcile:${sessionId}`;
}

function asPasisError(error: unknown): PasisError {
  if (isPasisError(error)) return error;
  // Only a client that is not ours can throw anything else; keep it as the cause.
  return new PasisError('api_error', 'Retrieving the session failed unexpectedly.', { cause: error });
}

const RECEIVE_OUTCOME = { handled: 'handled', duplicate: 'duplicate', ignored: 'ignored' } as const;

/**
 * Retrieves `sessionId` and, if it has ended, receives the event built from Pasis's answer
 * (`source: 'reconcile'`, `confirmed: true`). Never rejects. `maxRetries` is the client's
 * retries for this retrieve (a run passes 0: it paces and retries itself); default the client's.
 */
export async function checkSession(
  deps: CheckDeps,
  sessionId: string,
  signal?: AbortSignal,
  maxRetries?: number,
): Promise<CheckResult> {
  let session: Awaited<ReturnType<CheckDeps['client']['checkout']['sessions']['retrieve']>>;
  try {
    const options = maxRetries === undefined ? { signal } : { signal, maxRetries };
    session = await deps.client.checkout.sessions.retrieve(sessionId, options);
  } catch (error) {
    if (isPasisError(error, 'unknown_session')) return { outcome: 'unknown', sessionId };
    return { outcome: 'failed', sessionId, error: asPasisError(error) };
  }
  const event = sessionProcessedEvent(session);
  if (event === undefined) return { outcome: 'open', sessionId, status: 'open', session };
  let result: ReceiveResult;
  try {
    result = await deps.webhooks.receive(event, {
      source: 'reconcile',
      deliveryId: reconcileDeliveryId(sessionId),
      confirmed: true,
      logger: deps.handlerLogger,
    });
  } catch (error) {
    // receive() never rejects; a receiver that is not ours might.
    const failed = new PasisError('handler_failed', 'The receiver failed unexpectedly.', { cause: error });
    return { outcome: 'failed', sessionId, status: event.status, session, error: failed };
  }
  const { status } = event;
  if (result.ok) return { outcome: RECEIVE_OUTCOME[result.outcome], sessionId, status, session };
  if (result.code === 'in_progress') return { outcome: 'in_progress', sessionId, status, session };
  return {
    outcome: 'failed',
    sessionId,
    status,
    session,
    error: new PasisError(result.code, result.message),
  };
}
