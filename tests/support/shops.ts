import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PasisLogger } from '@pasis/core';
import type { ReconcileConfig, ShopDatabase } from '@pasis/example-shop-kit';
import type { LogCapture } from './log-capture.js';

/** The three example shops, started in-process the way their `main.ts` would. */
export type ShopName = 'express' | 'fastify' | 'nestjs';
const ALL_SHOPS: ShopName[] = ['express', 'fastify', 'nestjs'];
/**
 * The shops the tests run: all three, or only those named in `PASIS_TEST_SHOPS`
 * (comma-separated), which `pnpm --filter @pasis/example-<shop> test` sets.
 */
export const SHOP_NAMES: ShopName[] = selectShops(process.env.PASIS_TEST_SHOPS);

function selectShops(names: string | undefined): ShopName[] {
  if (!names) return ALL_SHOPS;
  const selected = names.split(',').map((name) => name.trim());
  const unknown = selected.filter((name) => !ALL_SHOPS.includes(name as ShopName));
  if (unknown.length > 0) throw new Error(`PASIS_TEST_SHOPS: unknown shop ${unknown.join(', ')}`);
  return ALL_SHOPS.filter((name) => selected.includes(name));
}

export interface ShopConfig {
  pasis: { appId: string; baseUrl: string; webhookSecret: string };
  /** Default: off (`intervalMs: 0`), so that a test decides when the reconciler runs. */
  reconcile?: ReconcileConfig;
  /** The shop's database, opened by the test (and closed by it, after the shop). */
  database: ShopDatabase;
  logger?: PasisLogger;
  /** Every logger of the shop (its own, Fastify's pino, Nest's) into one capture; replaces `logger`. */
  logs?: LogCapture;
  /** `RETURN_CHECK_INTERVAL_MS`. Default: the shop's (5000). */
  returnCheckIntervalMs?: number;
  /** `APPROVAL_WINDOW_MS`: the return page's countdown. Default: the shop's (300000). */
  approvalWindowMs?: number;
}

export interface RunningShop {
  url: string;
  /** The Node HTTP server it listens on. */
  server: Server;
  /** Stops the reconciler (awaited), then the server; the database stays open. */
  close(): Promise<void>;
}

const OFF: ReconcileConfig = { afterMs: 0, intervalMs: 0 };

/** Starts one example shop on 127.0.0.1, port 0 (or the given port). */
export async function startShop(name: ShopName, config: ShopConfig, port = 0): Promise<RunningShop> {
  const { logs, ...rest } = config;
  const options = { ...rest, reconcile: config.reconcile ?? OFF, logger: logs?.logger ?? config.logger };
  if (name === 'express') {
    const { createApp } = await import('../../examples/express/src/app.js');
    const running = await createApp(options).listen(port, '127.0.0.1');
    return { url: running.url, server: running.server, close: running.close };
  }
  if (name === 'fastify') {
    const { createApp } = await import('../../examples/fastify/src/app.js');
    const app = await createApp({
      ...options,
      ...(logs && { fastifyLogger: { level: 'trace', stream: logs.stream } }),
    });
    const url = await app.listen({ port, host: '127.0.0.1' });
    return { url, server: app.server, close: () => app.close() };
  }
  const { createApp } = await import('../../examples/nestjs/src/app.js');
  const app = await createApp({ ...options, ...(logs && { nestLogger: logs.nest }) });
  await app.listen(port, '127.0.0.1');
  const { port: actual } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${actual}`, server: app.getHttpServer(), close: () => app.close() };
}
