import type { PasisLogger } from '../logging/logger.js';

/** Most batches one pruning round deletes, so a backlog is worked off over several rounds. */
const MAX_BATCHES_PER_ROUND = 20;

/**
 * Settings of {@link KeyPruner}.
 *
 * @example
 * const settings: KeyPrunerSettings = { packageName: '@pasis/sql', batch, batchSize: 500, intervalMs: 60_000, logger };
 */
export interface KeyPrunerSettings {
  /** Named in the log lines. */
  packageName: string;
  /** Deletes one batch of old keys in a short transaction of its own; answers how many went. */
  batch: () => Promise<number>;
  /** The most keys one `batch()` deletes: a shorter answer ends the round. */
  batchSize: number;
  /** How often a round runs on its own; `0` never (call `prune()`). */
  intervalMs: number;
  logger: PasisLogger;
}

/**
 * Deletes a store's old keys in small batches, each a short transaction of its own, so that
 * deliveries never wait behind a prune. Runs on an unref'd timer (it never keeps the process
 * alive) and on demand; rounds never overlap. A failure is logged once as a warning until a
 * round succeeds again: a database down for hours logs one line, not one a minute.
 *
 * @example
 * const pruner = new KeyPruner({ packageName: '@pasis/sql', batch: () => deleteOldKeys(500), batchSize: 500, intervalMs: 60_000, logger });
 * await pruner.stop(); // on close
 */
export class KeyPruner {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #failing = false;

  constructor(private readonly settings: KeyPrunerSettings) {
    if (settings.intervalMs > 0) {
      this.#timer = setInterval(() => void this.prune().catch(() => {}), settings.intervalMs);
      this.#timer.unref?.();
    }
  }

  /** One round: batches until one comes back short (or the round's cap). Answers how many keys went. */
  prune(): Promise<number> {
    this.#running ??= this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<number> {
    const { packageName, batch, batchSize, logger } = this.settings;
    let deleted = 0;
    try {
      for (let round = 0; round < MAX_BATCHES_PER_ROUND; round++) {
        const n = await batch();
        deleted += n;
        if (n < batchSize) break;
      }
    } catch (error) {
      if (!this.#failing) logger.warn(`${packageName}: pruning old delivery keys failed`, { error });
      else logger.debug(`${packageName}: pruning still fails`, { error });
      this.#failing = true;
      throw error;
    }
    if (this.#failing) logger.info(`${packageName}: pruning works again`);
    this.#failing = false;
    if (deleted > 0) logger.debug(`${packageName}: pruned old delivery keys`, { deleted });
    return deleted;
  }

  /** Stops the timer and waits for a round in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}
