/**
 * `pasis mcp` starts only against a sandbox (CONTRACT §4: "it can never drive a real Pasis"):
 * the built CLI against plain HTTP servers that answer anything but a sandbox's health check,
 * and a closed port. Also its place in `pasis --help`.
 */
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pasis } from './test-support/cli.js';
import type { Json } from './test-support/flows.js';
import { reservePort } from './test-support/receiver.js';

beforeAll(assertBuilt);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('pasis mcp refuses to start against anything but a sandbox', () => {
  async function server(listener: RequestListener): Promise<string> {
    const http = createServer(listener).listen(0, '127.0.0.1');
    await once(http, 'listening');
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
    );
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  const json =
    (status: number, body: Json): RequestListener =>
    (_req, res) =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it.each([
    [
      'a web page answering 200 to everything',
      ((_req, res) => void res.end('<h1>hello</h1>')) as RequestListener,
    ],
    ['an API without the route', json(404, { error: { code: 'not_found' } })],
    ['a health check of something else', json(200, { status: 'ok' })],
    [
      'a redirect to a health check',
      ((_req, res) => void res.writeHead(302, { location: '/ok' }).end()) as RequestListener,
    ],
    ['a server that never answers', (() => {}) as RequestListener],
  ])('%s: exits 2 with one line saying so', async (_, listener) => {
    const url = await server(listener);
    const run = await pasis(['mcp', '--sandbox', url]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^pasis mcp: ${url} is not a running Pasis sandbox .*never drives a real Pasis`),
      ),
    ]);
  });

  it('a closed port: exits 2 with one line saying so', async () => {
    const url = `http://127.0.0.1:${await reservePort()}`;
    const run = await pasis(['mcp', '--sandbox', url, '--allow-write']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(`^pasis mcp: ${url} is not a running Pasis sandbox \\(ECONNREFUSED\\)`),
    );
  });
});

describe('pasis mcp --help', () => {
  it('is listed by pasis --help and has its own usage', async () => {
    expect((await pasis(['--help'])).stdout).toMatch(/^ {2}mcp {7}/m);
    const run = await pasis(['mcp', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: pasis mcp [--sandbox <url>] [--allow-write]');
    for (const name of ['list_sessions', 'get_session', 'list_deliveries', 'get_delivery']) {
      expect(run.stdout).toContain(name);
    }
    for (const name of ['create_session', 'complete_session', 'redeliver', 'trigger_event']) {
      expect(run.stdout).toContain(name);
    }
  });
});
