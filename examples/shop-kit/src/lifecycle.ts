/**
 * How a shop's process stops: on SIGINT or SIGTERM, once, in the order the shop gives
 * (its reconciler and server first, the database last), then exits.
 */

/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits the process with 0.
 *
 * @example
 * stopOnSignals(async () => {
 *   await running.close(); // the reconciler first, then the server
 *   await database.close();
 * });
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}
