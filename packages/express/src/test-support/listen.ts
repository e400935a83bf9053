import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';

/** Express 5 and 4 (installed under the alias `express4`), typed alike: the middleware uses what both share. */
export const EXPRESS_VERSIONS = [
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const;

export type Express = typeof express5;
export type ExpressApp = ReturnType<Express>;

/** Listens on 127.0.0.1:0; returns the base URL and a close that drops open connections. */
export async function listen(app: ExpressApp): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
