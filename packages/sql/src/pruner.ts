import type { PasisLogger } from '@pasis/core';

/** Most batches one pruning round deletes, so a backlog is worked off over several rounds. */
const MAX_BATCHES_PER_ROUND = 20;

/** Settings of {@link Pruner}. */
export interface PrunerSettings {
  /** Deletes one batch of old keys in a short transaction; answers how many went. */
  batch: () => Promise<number>;
  batchSize: number;
  intervalMs: number;
  logger: PasisLogger;
}

/**
 * Deletes old keys in small batches, each a short transaction of its own, on an unref'd
 * timer (it never keeps the process alive) and on demand; rounds never overlap. A failure
 * is logged once as a warning until a round succeeds again: a database down for hours logs
 * one line, not one a minute.
 */
export class Pruner {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #failing = false;

  constructor(private readonly settings: PrunerSettings) {
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
    const { batch, batchSize, logger } = this.settings;
    let deleted = 0;
    try {
      for (let round = 0; round < MAX_BATCHES_PER_ROUND; round++) {
        const n = await batch();
        deleted += n;
        if (n < batchSize) break;
      }
    } catch (error) {
      if (!this.#failing) logger.warn('@pasis/sql: pruning old delivery keys failed', { error });
      else logger.debug('@pasis/sql: pruning still fails', { error });
      this.#failing = true;
      throw error;
    }
    if (this.#failing) logger.info('@pasis/sql: pruning works again');
    this.#failing = false;
    if (deleted > 0) logger.debug('@pasis/sql: pruned old delivery keys', { deleted });
    return deleted;
  }

  /** Stops the timer and waits for a round in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}
