// The README's "Writing an adapter" Koa middleware passes the adapter conformance suite, and
// the README shows exactly the code that passes it.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import { describeAdapterConformance } from '@pasis/core/testing';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pasisKoa } from './pasis-koa.js';

/** Listens on 127.0.0.1:0 (any Koa app, whatever its middleware added to its context type). */
async function listen(app: { listen(port: number, host: string): Server }) {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describeAdapterConformance(
  { describe, it, beforeAll, afterAll },
  {
    name: 'Koa (the README adapter)',
    start: (options) => listen(new Koa().use(pasisKoa(options))),
    startBehindParser: (options) => listen(new Koa().use(bodyParser()).use(pasisKoa(options))),
  },
);

describe('the README', () => {
  it('shows the Koa adapter exactly as tested', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Writing an adapter'));
    const shown = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBe(readFileSync(new URL('./pasis-koa.ts', import.meta.url), 'utf8'));
  });
});
