/**
 * The built entries: core's main entry is runtime-neutral and for applications, so nothing
 * of `@pasis/core/node` (node:http, the raw reader, the Fastify route) nor of
 * `@pasis/core/adapter` (what adapter and store authors need) may be bundled into it.
 * Needs `pnpm --filter @pasis/core build` first; the root `pnpm test` builds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

describe('the built entries', () => {
  it.each(['index.js', 'index.cjs'])('%s holds nothing of @pasis/core/node', (file) => {
    if (!existsSync(dist(file)))
      throw new Error(`${dist(file)} is missing: run \`pnpm --filter @pasis/core build\` first.`);
    const main = readFileSync(dist(file), 'utf8');
    for (const marker of [
      'readRawBody',
      'serveWebhook',
      'registerFastifyWebhookRoute',
      'fromPinoLogger',
      'node:http',
      'resolveAdapterOptions',
      'routeArguments',
      'withPackageName',
    ]) {
      expect(main, marker).not.toContain(marker);
    }
  });

  it('node.js exports the Node helpers', async () => {
    const node = await import(/* @vite-ignore */ pathToFileURL(dist('node.js')).href);
    expect(Object.keys(node).sort()).toEqual(
      [
        'fromPinoLogger',
        'isLoggerOn',
        'readRawBody',
        'registerFastifyWebhookRoute',
        'serveWebhook',
        'writeWebhookResponse',
      ].sort(),
    );
  });

  it.each(['adapter.js', 'adapter.cjs'])('%s exports what adapter and store authors need', async (file) => {
    const adapter = await import(/* @vite-ignore */ pathToFileURL(dist(file)).href);
    const names = Object.keys(adapter).filter((name) => name !== 'default' && name !== 'module.exports');
    expect(names.sort()).toEqual(
      [
        'configError',
        'dedupeKey',
        'DEFAULT_COMMAND_TIMEOUT_MS',
        'DEFAULT_DONE_TTL_MS',
        'DEFAULT_LOCK_TIMEOUT_MS',
        'DEFAULT_PRUNE_BATCH_SIZE',
        'DEFAULT_PRUNE_INTERVAL_MS',
        'integerOption',
        'KeyPruner',
        'MAX_TIMER_MS',
        'resolveStoreTimings',
        'DEFAULT_LEASE_MS',
        'DEFAULT_WEBHOOK_PATH',
        'MAX_RECONCILE_LEASE_BATCH',
        'resolveAdapterOptions',
        'routeArguments',
        'splitRouteOptions',
        'withPackageName',
        'withTimeout',
      ].sort(),
    );
    expect(adapter.configError('@pasis/koa', 'path must be absolute.').message).toBe(
      '@pasis/koa: path must be absolute.',
    );
    // A transactional store's timings: core's defaults, and a mistake named after the store.
    expect(adapter.resolveStoreTimings('@pasis/mongo', { pruneIntervalMs: 0 })).toEqual({
      lockTimeoutMs: 5_000,
      commandTimeoutMs: 5_000,
      retentionMs: adapter.DEFAULT_DONE_TTL_MS,
      pruneIntervalMs: 0,
      pruneBatchSize: 500,
    });
    expect(() => adapter.resolveStoreTimings('@pasis/mongo', { lockTimeoutMs: 0 })).toThrow(
      '@pasis/mongo: lockTimeoutMs must be an integer from 1 to 2147483647, got 0.',
    );
  });
});
