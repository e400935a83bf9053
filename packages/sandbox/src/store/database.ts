import type { SandboxDatabase } from './database-types.js';
import { openFileDatabase } from './file-database.js';

export { DATA_FILES, FORMAT_VERSION } from './data-file.js';
export type { LoadedRows, SandboxDatabase } from './database-types.js';

// An in-memory sandbox keeps nothing beyond the store's own maps.
const memory: SandboxDatabase = {
  dataDir: undefined,
  save() {},
  loadAll: () => ({ apps: [], sessions: [], deliveries: [], attempts: [], idempotency_keys: [] }),
  transaction: (fn) => fn(),
  close() {},
};

/**
 * Opens the data dir `dataDir` (created, mode 0700, when absent), or nothing at all for an
 * in-memory sandbox when it is undefined. A data dir another sandbox uses, or with files
 * that are not a sandbox's, are damaged or come from a newer release, is refused with a
 * `config_error` naming the file, and left exactly as it was.
 *
 * @example
 * const db = openDatabase('.pasis-sandbox'); // .pasis-sandbox/snapshot.jsonl and log.jsonl
 */
export function openDatabase(dataDir?: string): SandboxDatabase {
  return dataDir === undefined ? memory : openFileDatabase(dataDir);
}
