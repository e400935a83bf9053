import type { PasisLogger } from '@pasis/core';
import type { Engine } from './engine.js';

/** Most batches one pruning round deletes, so a backlog is worked off over several rounds. */
const MAX_BATCHES_PER_ROUND = 20;

/** Settings of {@link Pruner}. */
export interface PrunerSettings {
  engine: Engine<unknown>;
  sql: string;
  retentionMs: number;
  batchSize: number;
  intervalMs: number;
  logger: PasisLogger;
}

/**
 * Deletes keys older than the retention in small batches (`FOR UPDATE SKIP LOCKED`: a row a
 * claim holds is skipped, never waited for), each batch a short transaction of its own, so
 * deliveries never wait behind a prune. Runs on an unref'd timer (it never keeps the
 * process alive) and on demand; rounds never overlap. A failure is logged once as a
 * warning until a round succeeds again: a database down for hours logs one line, not one
 * a minute.
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
    const { engine, sql, retentionMs, batchSize, logger } = this.settings;
    let deleted = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_ROUND; batch++) {
        const [row] = (await engine.run([{ sql, params: [retentionMs, batchSize] }])) as { n: number }[];
        deleted += row?.n ?? 0;
        if ((row?.n ?? 0) < batchSize) break;
      }
    } catch (error) {
      if (!this.#failing) logger.warn('@pasis/postgres: pruning old delivery keys failed', { error });
      else logger.debug('@pasis/postgres: pruning still fails', { error });
      this.#failing = true;
      throw error;
    }
    if (this.#failing) logger.info('@pasis/postgres: pruning works again');
    this.#failing = false;
    if (deleted > 0) logger.debug('@pasis/postgres: pruned old delivery keys', { deleted });
    return deleted;
  }

  /** Stops the timer and waits for a round in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => {});
  }
}
