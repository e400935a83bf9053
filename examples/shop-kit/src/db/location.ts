import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the shop keeps its orders: a PostgreSQL server, or an embedded PostgreSQL (PGlite)
 * on disk, in a folder of the shop's own.
 */
export type DatabaseLocation = { kind: 'postgresql'; url: string } | { kind: 'pglite'; dataDir: string };

/** The shop a default data dir is for: its folder (the package's) and its framework. */
export interface ShopIdentity {
  /** The shop's package folder, e.g. `new URL('..', import.meta.url)` from its `src/main.ts`. */
  folder: string | URL;
  framework: string;
}

/**
 * The location from the environment (CONTRACT §5): PostgreSQL at `DATABASE_URL` when set,
 * otherwise PGlite under `SHOP_DATA_DIR`, by default `.data/<framework>` in the shop's folder.
 *
 * @example
 * databaseLocation({}, { folder: new URL('..', import.meta.url), framework: 'express' });
 * // { kind: 'pglite', dataDir: '/…/examples/express/.data/express' }
 */
export function databaseLocation(
  env: { DATABASE_URL?: string | undefined; SHOP_DATA_DIR?: string | undefined },
  shop: ShopIdentity,
): DatabaseLocation {
  if (env.DATABASE_URL) return { kind: 'postgresql', url: env.DATABASE_URL };
  const folder = typeof shop.folder === 'string' ? shop.folder : fileURLToPath(shop.folder);
  // A relative SHOP_DATA_DIR is relative to the working directory, as any path given to a program.
  const dataDir = env.SHOP_DATA_DIR ? resolve(env.SHOP_DATA_DIR) : join(folder, '.data', shop.framework);
  return { kind: 'pglite', dataDir };
}

/**
 * The location for a log line: the server without its password, or the data dir with how
 * to start afresh.
 *
 * @example
 * describeLocation({ kind: 'postgresql', url: 'postgres://shop:secret@db:5432/shop' });
 * // 'PostgreSQL at postgres://shop@db:5432/shop'
 */
export function describeLocation(location: DatabaseLocation): string {
  if (location.kind === 'pglite') {
    return `PGlite in ${location.dataDir} (kept across restarts; stop the shop and delete that folder to start afresh)`;
  }
  try {
    const url = new URL(location.url);
    url.password = '';
    url.search = ''; // may carry a password or a key (sslkey, passfile)
    return `PostgreSQL at ${url.href}`;
  } catch {
    return 'PostgreSQL at DATABASE_URL';
  }
}
