// What is Express's own: mounting (app.use, a route, the path option), other routes left
// alone, raw bytes kept by other middleware, construction. The protocol's answers are the
// conformance suite's (conformance.test.ts).
import { isPasisError, silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type PasisWebhookMiddleware, pasisWebhook } from './index.js';
import { EXPRESS_VERSIONS, type ExpressApp, listen } from './test-support/listen.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const post = (url: string, delivery: { body: string; headers: Record<string, string> }) =>
  fetch(url, {
    method: 'POST',
    body: delivery.body,
    headers: delivery.headers,
    signal: AbortSignal.timeout(5000),
  });

const configErrorOf = (build: () => unknown): string => {
  try {
    build();
  } catch (error) {
    if (isPasisError(error, 'config_error')) return error.message;
    throw error;
  }
  throw new Error('no error was thrown');
};

describe.each(EXPRESS_VERSIONS)('%s', (_, express) => {
  async function start(setup: (app: ExpressApp) => void): Promise<string> {
    const app = express();
    setup(app);
    const server = await listen(app);
    closers.push(server.close);
    return server.url;
  }

  it('accepts the raw bytes kept by express.json({ verify }) and by express.raw()', async () => {
    const handler = vi.fn();
    const keepRawBody = (req: unknown, _res: unknown, buf: Buffer) => {
      (req as { rawBody?: Buffer }).rawBody = buf;
    };
    const url = await start((app) => {
      app.use('/kept', express.json({ verify: keepRawBody }));
      app.use('/raw', express.raw({ type: '*/*' }));
      app.use('/kept', pasisWebhook({ secret, logger: silentLogger, on: handler }));
      app.use('/raw', pasisWebhook({ secret, logger: silentLogger, on: handler }));
    });
    expect((await post(`${url}/kept/webhook`, signWebhook(event, { secret }))).status).toBe(200);
    const other = signWebhook({ ...event, session_id: 'sess_2' }, { secret });
    expect((await post(`${url}/raw/webhook`, other)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('verifies a text/plain delivery over its raw bytes even behind express.json()', async () => {
    const handler = vi.fn();
    const url = await start((app) => {
      app.use(express.json());
      app.use(pasisWebhook({ secret, logger: silentLogger, on: handler }));
    });
    const delivery = signWebhook(event, { secret });
    const res = await post(`${url}/webhook`, {
      body: delivery.body,
      headers: { ...delivery.headers, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('leaves other routes alone: app.use answers only POST <path>', async () => {
    const url = await start((app) => {
      app.use(pasisWebhook({ secret, logger: silentLogger }));
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

  it('works on a route of its own, under a mount point, and with the path option', async () => {
    const onRoute = vi.fn();
    const onPath = vi.fn();
    const url = await start((app) => {
      app.post('/any/path', pasisWebhook({ secret, logger: silentLogger, on: onRoute }));
      app.use(
        '/shop',
        pasisWebhook({
          secret,
          path: '/hooks/pasis',
          logger: silentLogger,
          on: { 'session:processed': onPath },
        }),
      );
    });
    expect((await post(`${url}/any/path`, signWebhook(event, { secret }))).status).toBe(200);
    expect((await post(`${url}/shop/hooks/pasis`, signWebhook(event, { secret }))).status).toBe(200);
    expect((await post(`${url}/webhook`, signWebhook(event, { secret }))).status).toBe(404);
    expect(onRoute).toHaveBeenCalledTimes(1);
    expect(onPath).toHaveBeenCalledTimes(1);
  });

  it('takes handlers added later through .webhooks.on()', async () => {
    const middleware = pasisWebhook({ secret, logger: silentLogger });
    const handler = vi.fn();
    middleware.webhooks.on('session:processed', handler);
    const url = await start((app) => app.use(middleware));
    expect((await post(`${url}/webhook`, signWebhook(event, { secret }))).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('pasisWebhook construction: every mistake is a config_error naming @pasis/express', () => {
  it('without a secret, names PASIS_WEBHOOK_SECRET; takes it from there when set', () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    expect(configErrorOf(() => pasisWebhook())).toMatch(/^@pasis\/express: .*PASIS_WEBHOOK_SECRET/);
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    expect(() => pasisWebhook({ logger: silentLogger })).not.toThrow();
    vi.unstubAllEnvs();
  });

  it("refuses core's bad options and a bad path, as core does", () => {
    expect(configErrorOf(() => pasisWebhook({ secret, path: 'webhook' }))).toMatch(
      /^@pasis\/express: path must/,
    );
    expect(configErrorOf(() => pasisWebhook({ secret, maxBodyBytes: -1 }))).toBe(
      '@pasis/express: maxBodyBytes must be a positive integer, got -1.',
    );
  });

  it('refuses handlers given twice, and options followed by more arguments', () => {
    const loose = pasisWebhook as unknown as (...args: unknown[]) => unknown;
    expect(configErrorOf(() => loose(() => {}, { secret, on: () => {} }))).toBe(
      '@pasis/express: the handlers were given twice, as the first argument and as `on`: keep one.',
    );
    expect(configErrorOf(() => loose({ secret }, { path: '/x' }))).toMatch(
      /^@pasis\/express: the first argument is the handlers .* pass \(handlers, options\) or \(\{ on: handlers, \.\.\.options \}\)\.$/,
    );
    expect(configErrorOf(() => loose({ 'session:paid': () => {} }, { secret }))).toMatch(
      /^@pasis\/express: unknown event kind "session:paid" for a handler\. Known kinds: session:processed, session:created\.$/,
    );
    expect(configErrorOf(() => loose({ 'session:processed': () => {}, secret }))).toMatch(
      /is an event kind.*on: \{ 'session:processed'/,
    );
    // An empty map with options: handlers come later through .webhooks.on().
    expect(() => loose({}, { secret, logger: silentLogger })).not.toThrow();
    expect(configErrorOf(() => loose(() => {}, 'whsec_x'))).toBe(
      '@pasis/express: the options (second argument) must be an object.',
    );
  });
});

// The entry points the project promises, exactly as a merchant writes them: the secret from
// PASIS_WEBHOOK_SECRET, nothing else configured, a real server and a real signature.
describe.each(EXPRESS_VERSIONS)('the promised entry points, on %s', (_, express) => {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push([name, ...args]);

  async function deliverTo(middleware: PasisWebhookMiddleware, path = '/webhook') {
    const app = express();
    app.use(middleware);
    app.use(express.json());
    const server = await listen(app);
    closers.push(server.close);
    return post(`${server.url}${path}`, signWebhook(event, { secret }));
  }

  afterEach(() => {
    calls.length = 0;
    vi.unstubAllEnvs();
  });

  it.each([
    ['app.use(pasisWebhook(handler))', () => pasisWebhook(record('any'))],
    ['app.use(pasisWebhook(handlers))', () => pasisWebhook({ 'session:processed': record('processed') })],
    ['app.use(pasisWebhook(handler, options))', () => pasisWebhook(record('any'), { maxBodyBytes: 4096 })],
    [
      'app.use(pasisWebhook({ on, ...options }))',
      () => pasisWebhook({ on: record('any'), maxBodyBytes: 4096 }),
    ],
  ])('%s receives a signed delivery on POST /webhook', async (_form, build) => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const res = await deliverTo(build());
    expect([res.status, await res.json()]).toEqual([200, { ok: true, outcome: 'handled' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toEqual(event);
    expect(calls[0]![2]).toMatchObject({ verified: true, source: 'webhook' });
  });

  it('one receiver with one set of defaults: a delivery signed with another secret is 401 in every form', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    for (const middleware of [pasisWebhook(record('any')), pasisWebhook({ on: record('any') })]) {
      const app = express();
      app.use(middleware);
      const server = await listen(app);
      closers.push(server.close);
      const forged = signWebhook(event, { secret: generateWebhookSecret() });
      expect((await post(`${server.url}/webhook`, forged)).status).toBe(401);
    }
    expect(calls).toHaveLength(0);
  });
});
