import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PasisLogger, silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pasisWebhook } from './index.js';

const secret = generateWebhookSecret();
const event = { kind: 'session:processed', session_id: 'sess_1', amount: 5000, status: 'success' };
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const recordingLogger = () => {
  const lines: string[] = [];
  const log = (line: string) => void lines.push(line);
  return { lines, logger: { debug: log, info: log, warn: log, error: log } satisfies PasisLogger };
};

describe.each([
  ['Express 5', express5 as unknown as typeof express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s', (_, express) => {
  async function listen(setup: (app: ReturnType<typeof express>) => void): Promise<string> {
    const app = express();
    setup(app);
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const post = (
    url: string,
    delivery: { body: string; headers: Record<string, string> },
    init: RequestInit = {},
  ) =>
    fetch(url, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
      signal: AbortSignal.timeout(5000),
      ...init,
    });

  it('runs the handler once for a valid delivery; a replay is a duplicate', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const url = await listen((app) =>
      app.use(pasisWebhook({ 'session:processed': handler }, { secret, logger: silentLogger })),
    );
    const delivery = signWebhook(event, { secret });
    const res = await post(`${url}/webhook`, delivery);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: 'handled' });
    expect((await (await post(`${url}/webhook`, delivery)).json()).outcome).toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![0]).toEqual(event);
  });

  it('answers 401 to a bad signature and never runs the handler', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const url = await listen((app) => app.use(pasisWebhook(handler, { secret, logger: silentLogger })));
    const res = await post(`${url}/webhook`, signWebhook(event, { secret: generateWebhookSecret() }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('no_matching_signature');
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 500 body_already_parsed at once (no hang) behind a global express.json(), and logs the fix once', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const { lines, logger } = recordingLogger();
    const url = await listen((app) => {
      app.use(express.json());
      app.use(pasisWebhook(handler, { secret, logger }));
    });
    for (let i = 0; i < 2; i++) {
      const res = await post(`${url}/webhook`, signWebhook(event, { secret }), {
        signal: AbortSignal.timeout(1000),
      });
      expect(res.status).toBe(500);
      expect((await res.json()).error.code).toBe('body_already_parsed');
    }
    expect(handler).not.toHaveBeenCalled();
    const advice = lines.filter((line) => line.includes('Mount pasisWebhook() BEFORE express.json()'));
    expect(advice).toHaveLength(1);
  });

  it('accepts the raw body saved by express.json({ verify })', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const url = await listen((app) => {
      const keepRawBody = (req: unknown, _res: unknown, buf: Buffer) => {
        (req as { rawBody?: Buffer }).rawBody = buf;
      };
      app.use(express.json({ verify: keepRawBody }));
      app.use(pasisWebhook(handler, { secret, logger: silentLogger }));
    });
    expect((await post(`${url}/webhook`, signWebhook(event, { secret }))).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('verifies a text/plain delivery over its raw bytes even behind express.json()', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const url = await listen((app) => {
      app.use(express.json());
      app.use(pasisWebhook(handler, { secret, logger: silentLogger }));
    });
    const delivery = signWebhook(event, { secret });
    const res = await post(`${url}/webhook`, {
      body: delivery.body,
      headers: { ...delivery.headers, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers 413 past maxBodyBytes without reading the whole stream', async () => {
    const url = await listen((app) =>
      app.use(
        pasisWebhook(
          vi.fn((_event: unknown, _ctx?: unknown) => {}),
          { secret, maxBodyBytes: 1024, logger: silentLogger },
        ),
      ),
    );
    const big = signWebhook({ ...event, padding: 'x'.repeat(4096) }, { secret });
    const res = await post(`${url}/webhook`, big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('body_too_large');
    // Chunked (no Content-Length): the limit is enforced while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const chunked = await fetch(`${url}/webhook`, {
      method: 'POST',
      body: stream,
      headers: big.headers,
      duplex: 'half',
      signal: AbortSignal.timeout(5000),
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('leaves other routes alone: app.use answers only POST <path>', async () => {
    const url = await listen((app) => {
      app.use(
        pasisWebhook(
          vi.fn((_event: unknown, _ctx?: unknown) => {}),
          { secret, logger: silentLogger },
        ),
      );
      app.use(express.json());
      app.post('/orders', (req, res) => void res.json({ echoed: req.body }));
      app.get('/webhook', (_req, res) => void res.send('a page'));
    });
    const orders = await fetch(`${url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await orders.json()).toEqual({ echoed: { a: 1 } });
    expect(await (await fetch(`${url}/webhook`)).text()).toBe('a page');
  });

  it('works on a route of its own, and with the path option', async () => {
    const onRoute = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const onPath = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const url = await listen((app) => {
      app.post('/any/path', pasisWebhook(onRoute, { secret, logger: silentLogger }));
      app.use(
        pasisWebhook({ 'session:processed': onPath }, { secret, path: '/hooks/pasis', logger: silentLogger }),
      );
    });
    expect((await post(`${url}/any/path`, signWebhook(event, { secret }))).status).toBe(200);
    expect((await post(`${url}/hooks/pasis`, signWebhook(event, { secret }))).status).toBe(200);
    expect((await post(`${url}/webhook`, signWebhook(event, { secret }))).status).toBe(404);
    expect(onRoute).toHaveBeenCalledTimes(1);
    expect(onPath).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when the async handler rejects, and handles the redelivery', async () => {
    let calls = 0;
    const url = await listen((app) =>
      app.use(
        pasisWebhook(
          async () => {
            calls++;
            if (calls === 1) throw new Error('database down');
          },
          { secret, logger: silentLogger },
        ),
      ),
    );
    const delivery = signWebhook(event, { secret });
    const first = await post(`${url}/webhook`, delivery);
    expect(first.status).toBe(500);
    expect(JSON.stringify(await first.json())).not.toContain('database down');
    const again = await post(`${url}/webhook`, delivery);
    expect(again.status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('pasisWebhook construction', () => {
  it('throws at once, naming PASIS_WEBHOOK_SECRET, when no secret is configured', () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    expect(() => pasisWebhook(vi.fn((_event: unknown, _ctx?: unknown) => {}))).toThrow(
      /PASIS_WEBHOOK_SECRET/,
    );
    vi.unstubAllEnvs();
  });

  it('takes the secret from PASIS_WEBHOOK_SECRET', () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    expect(() =>
      pasisWebhook(
        vi.fn((_event: unknown, _ctx?: unknown) => {}),
        { logger: silentLogger },
      ),
    ).not.toThrow();
    vi.unstubAllEnvs();
  });

  it('refuses a path without a leading slash', () => {
    expect(() =>
      pasisWebhook(
        vi.fn((_event: unknown, _ctx?: unknown) => {}),
        { secret, path: 'webhook' },
      ),
    ).toThrow(/@pasis\/express: path/);
  });
});
