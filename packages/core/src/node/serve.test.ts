// serveWebhook and readRawBody on a real node:http server: every way a body can arrive or
// fail to arrive ends in an answer (or a destroyed socket), never a hang.
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { type RawBodyResult, readRawBody, serveWebhook } from './index.js';

const secret = generateWebhookSecret();
const event = createTestEvent({ session_id: 'sess_n' });
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** Sends the headers and part of a body, then cuts the connection. */
function sendThenAbort(url: string, headers: Record<string, string>) {
  const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
  req.on('error', () => {});
  req.write('{"kind":"session:proc');
  setTimeout(() => req.destroy(), 50);
}

describe('readRawBody', () => {
  it('reads the bytes; uses bytes other middleware kept; never waits on a consumed stream', async () => {
    const results: RawBodyResult[] = [];
    const url = await listen(async (req, res) => {
      const r = req as IncomingMessage & { body?: unknown; rawBody?: unknown; _body?: boolean };
      if (req.headers['x-case'] === 'raw') r.rawBody = Buffer.from('kept');
      if (req.headers['x-case'] === 'consumed') {
        req.resume();
        await once(req, 'end');
        r._body = true;
        r.body = { parsed: true };
      }
      results.push(await readRawBody(r, 1024));
      res.end();
    });
    for (const which of ['plain', 'raw', 'consumed']) {
      await fetch(url, { method: 'POST', body: 'the bytes', headers: { 'x-case': which } });
    }
    expect(results).toEqual([
      { kind: 'bytes', body: Buffer.from('the bytes') },
      { kind: 'bytes', body: Buffer.from('kept') },
      { kind: 'consumed', parsed: { parsed: true } },
    ]);
  });

  it('is unreadable when the sender goes away mid-body: the promise settles', async () => {
    const settled = vi.fn();
    const url = await listen((req) => void readRawBody(req, 1024).then(settled));
    sendThenAbort(url, {});
    await vi.waitFor(() => expect(settled).toHaveBeenCalledWith({ kind: 'unreadable' }), { timeout: 5000 });
  });

  it('is unreadable when the app destroys the request without an error (a timeout, say)', async () => {
    const settled = vi.fn();
    const url = await listen((req) => {
      void readRawBody(req, 1024).then(settled);
      setTimeout(() => req.destroy(), 20);
    });
    const req = request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } });
    req.on('error', () => {});
    req.write('{"partial":');
    await vi.waitFor(() => expect(settled).toHaveBeenCalledWith({ kind: 'unreadable' }), { timeout: 5000 });
    req.destroy();
  });
});

describe('serveWebhook', () => {
  it('answers a delivery with core answer, byte for byte', async () => {
    const on = vi.fn();
    const webhooks = createWebhookHandler({ secret, logger: silentLogger, on });
    const url = await listen((req, res) => void serveWebhook(webhooks, req, res));
    const delivery = signWebhook(event, { secret });
    const res = await fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe('{"ok":true,"outcome":"handled"}');
    expect(on).toHaveBeenCalledTimes(1);
  });

  it('settles without running a handler when the sender goes away mid-body', async () => {
    const on = vi.fn();
    const webhooks = createWebhookHandler({ secret, logger: silentLogger, on });
    const served = vi.fn();
    const url = await listen((req, res) => void serveWebhook(webhooks, req, res).then(served));
    sendThenAbort(url, signWebhook(event, { secret }).headers);
    await vi.waitFor(() => expect(served).toHaveBeenCalledTimes(1), { timeout: 5000 });
    expect(on).not.toHaveBeenCalled();
  });

  it('destroys the socket rather than answer twice when headers were already sent', async () => {
    const webhooks = createWebhookHandler({ secret, logger: silentLogger });
    const url = await listen((req, res) => {
      res.writeHead(202);
      res.write('someone else answered');
      void serveWebhook(webhooks, req, res);
    });
    const delivery = signWebhook(event, { secret });
    const outcome = await fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers })
      .then((res) => res.text())
      .then(
        () => 'completed',
        () => 'failed',
      );
    expect(outcome).toBe('failed'); // the sender sees a failed delivery and retries it
  });
});
