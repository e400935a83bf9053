import type { WebhookErrorCode } from '../errors.js';
import type { FailureLog } from '../logging/failure-log.js';
import { errorSummary } from '../logging/format.js';
import type { PasisLogger } from '../logging/logger.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { Held, LeaseRenewer } from './lease-renewer.js';
import type { ClaimResult, WebhookStore } from './store.js';

/**
 * What running a delivery under a claim came to: accepted, or the code it is refused with
 * (the receiver answers each code with its one message).
 */
export type ClaimOutcome =
  | 'handled'
  | 'duplicate'
  | Extract<WebhookErrorCode, 'store_unavailable' | 'in_progress' | 'handler_failed'>;

/** The fixed parts of every claimed run of one receiver. */
export interface ClaimSettings {
  store: WebhookStore<unknown>;
  /** Passed to every `claim` as it is: built once per receiver, not per delivery. */
  claimOptions: { readonly leaseMs: number };
  /** Passed to every `complete` as it is. */
  completeOptions: { readonly ttlMs: number };
  renewer: LeaseRenewer;
  /** Where failures are written, with their cause, bounded per receiver. */
  failures: FailureLog;
}

/** Who a claimed run is for: what every one of its log lines says. */
export interface ClaimMeta {
  deliveryId: string;
  kind: string;
  /** The event's `session_id`, when it has one. */
  sessionId: string | undefined;
  /** Where the event came from: says who retries a failure. */
  source: 'webhook' | 'reconcile';
}

const STORE_DOWN = 'store_unavailable';
const IN_PROGRESS = 'in_progress';
const HANDLER_FAILED = 'handler_failed';

// A literal, not a spread of meta plus a property, which is several times slower in V8: the
// success line is built on every delivery, even for a logger that drops debug.
const fields = (meta: ClaimMeta, outcome: string) => ({
  deliveryId: meta.deliveryId,
  kind: meta.kind,
  sessionId: meta.sessionId,
  outcome,
});
const failureFields = (meta: ClaimMeta, outcome: string, error: unknown) => ({
  deliveryId: meta.deliveryId,
  kind: meta.kind,
  sessionId: meta.sessionId,
  outcome,
  error,
});
const retried = (meta: ClaimMeta) =>
  meta.source === 'webhook' ? 'Pasis will retry the delivery' : 'the next reconciler run tries again';
const prefix = (meta: ClaimMeta) => (meta.source === 'webhook' ? 'Pasis webhook' : 'Pasis reconcile');

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
  meta: ClaimMeta,
  logger: PasisLogger,
  work: (tx: unknown, afterCommit: (effect: () => unknown) => void) => unknown,
): Promise<ClaimOutcome> {
  const { store } = settings;
  let claim: ClaimResult<unknown>;
  try {
    const claiming = store.claim(key, settings.claimOptions);
    claim = isPromiseLike(claiming) ? await claiming : claiming;
  } catch (error) {
    settings.failures(
      logger,
      `${prefix(meta)}: the dedupe store failed to claim ${meta.kind}; ${retried(meta)}: ${errorSummary(error)}`,
      failureFields(meta, STORE_DOWN, error),
      'store',
    );
    return STORE_DOWN;
  }
  if (claim.state === 'completed') {
    logger.debug('Pasis webhook duplicate: already handled', fields(meta, 'duplicate'));
    return 'duplicate';
  }
  if (claim.state === 'in_progress') {
    logger.debug('Pasis webhook in progress elsewhere; answered 409', fields(meta, IN_PROGRESS));
    return IN_PROGRESS;
  }
  const { token } = claim;
  // The lease is renewed only once the work returned a promise: a renewal runs on a timer,
  // which cannot fire while the work runs synchronously, so a synchronous run is held for
  // no time at all and costs no hold (claim-renew.test.ts holds both paths to one verdict).
  let held: Held | undefined;
  const effects = new AfterCommit(meta, logger);
  try {
    // A transactional store hands its transaction to the handlers (and, for an ambient one,
    // the async context it lives in); a lease store has none.
    const tx = claim.tx;
    const working = claim.run ? claim.run(() => work(tx, effects.add)) : work(tx, effects.add);
    if (isPromiseLike(working)) {
      held = settings.renewer.hold(key, token, meta.deliveryId);
      await working;
    }
  } catch (error) {
    settings.renewer.release(held);
    effects.drop();
    // The merchant's own error, message and stack: the one thing they need to fix it.
    settings.failures(
      logger,
      `${prefix(meta)}: the ${meta.kind} handler failed; ${retried(meta)}: ${errorSummary(error)}`,
      failureFields(meta, HANDLER_FAILED, error),
      'handler',
    );
    try {
      const releasing = store.release(key, token);
      if (isPromiseLike(releasing)) await releasing;
    } catch (releaseError) {
      // The lease will expire on its own; the redelivery then runs the handler.
      logger.warn(
        `${prefix(meta)}: could not release the claim (it expires by itself): ${errorSummary(releaseError)}`,
        failureFields(meta, HANDLER_FAILED, releaseError),
      );
    }
    return HANDLER_FAILED;
  }
  settings.renewer.release(held);
  try {
    const completing = store.complete(key, token, settings.completeOptions);
    if (isPromiseLike(completing)) await completing;
  } catch (error) {
    effects.drop();
    // The handler ran, but we cannot remember it: answering 2xx would be a lie about
    // dedupe, so ask for a retry (handlers must tolerate at-least-once anyway).
    settings.failures(
      logger,
      `${prefix(meta)}: the ${meta.kind} handler ran but the dedupe store failed to record it; ${retried(meta)}: ${errorSummary(error)}`,
      failureFields(meta, STORE_DOWN, error),
      'store',
    );
    return STORE_DOWN;
  }
  logger.debug('Pasis webhook handled', fields(meta, 'handled'));
  // Most handlers register no effect: then nothing is awaited, and no turn is spent.
  const running = effects.run();
  if (running !== undefined) await running;
  return 'handled';
}

/**
 * The `ctx.afterCommit` effects of one claimed run: kept while the handlers run, run once
 * the store completed (committed) the claim, dropped when it did not. An effect registered
 * after that (a promise the handler did not await) is refused with a warning.
 */
class AfterCommit {
  #effects: (() => unknown)[] | undefined;
  #closed = false;

  constructor(
    private readonly meta: ClaimMeta,
    private readonly logger: PasisLogger,
  ) {}

  readonly add = (effect: () => unknown): void => {
    if (typeof effect !== 'function') throw new TypeError('ctx.afterCommit takes a function.');
    if (this.#closed) {
      this.logger.warn(
        `${prefix(this.meta)}: an after-commit effect was registered after the delivery ended; it is not run (await it inside the handler)`,
        fields(this.meta, 'after_commit_late'),
      );
      return;
    }
    this.#effects ??= [];
    this.#effects.push(effect);
  };

  drop(): void {
    this.#closed = true;
    this.#effects = undefined;
  }

  /**
   * Runs each effect in order; a failure is logged with its cause and changes nothing.
   * `undefined` when none was registered, else a promise that never rejects.
   */
  run(): Promise<void> | undefined {
    this.#closed = true;
    const effects = this.#effects;
    this.#effects = undefined;
    return effects === undefined ? undefined : this.#runAll(effects);
  }

  async #runAll(effects: readonly (() => unknown)[]): Promise<void> {
    for (const effect of effects) {
      try {
        const running = effect();
        if (isPromiseLike(running)) await running;
      } catch (error) {
        this.logger.error(
          `${prefix(this.meta)}: an after-commit effect of the ${this.meta.kind} handler failed; the delivery stays handled and is not retried: ${errorSummary(error)}`,
          failureFields(this.meta, 'after_commit_failed', error),
        );
      }
    }
  }
}
