import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { PasisLogger } from '@pasis/core';

/** The three example shops, started in-process the way their `main.ts` would. */
export type ShopName = 'express' | 'fastify' | 'nestjs';
export const SHOP_NAMES: ShopName[] = ['express', 'fastify', 'nestjs'];

export interface ShopConfig {
  pasis: { appId: string; baseUrl: string; webhookSecret: string };
  logger?: PasisLogger;
}

export interface RunningShop {
  url: string;
  close(): Promise<void>;
}

/** Starts one example shop on 127.0.0.1, port 0 (or the given port). */
export async function startShop(name: ShopName, config: ShopConfig, port = 0): Promise<RunningShop> {
  if (name === 'express') {
    const { createApp } = await import('../../examples/express/src/app.js');
    const server = createApp(config).listen(port, '127.0.0.1');
    await once(server, 'listening');
    const { port: actual } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${actual}`,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
  if (name === 'fastify') {
    const { createApp } = await import('../../examples/fastify/src/app.js');
    const app = await createApp(config);
    const url = await app.listen({ port, host: '127.0.0.1' });
    return { url, close: () => app.close() };
  }
  const { createApp } = await import('../../examples/nestjs/src/app.js');
  const app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const { port: actual } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${actual}`, close: () => app.close() };
}
