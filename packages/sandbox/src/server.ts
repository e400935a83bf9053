import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RETRY_SCHEDULE, DeliveryEngine } from './deliveries.js';
import { HttpError, sendError, sendHtml, sendJson } from './http.js';
import { type SandboxLogger, silentSandboxLogger } from './logger.js';
import { control, initiate } from './routes/api.js';
import { payPage } from './routes/pay.js';
import { type RegisterAppInput, SandboxService } from './service.js';
import { type SandboxApp, SandboxStore } from './store.js';
import { renderDashboard } from './views/dashboard.js';

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Milliseconds to wait before each retry of a failed delivery. Default 5 s, 30 s, 2 min, 10 min, 30 min, 1 h. */
  retrySchedule?: readonly number[];
  /** Per-attempt timeout of a webhook delivery. Default 10,000 ms. */
  deliveryTimeoutMs?: number;
  /** One line per request and per delivery attempt. Default: silent. */
  logger?: SandboxLogger;
}

/** A running (or ready to run) sandbox. */
export interface Sandbox {
  /** Starts listening. Default port 4010, host 127.0.0.1. Resolves with {@link Sandbox.url}. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL, e.g. `http://127.0.0.1:4010`. Throws before `listen`. */
  readonly url: string;
  /** Registers an application, as `POST /_sandbox/apps` does. */
  registerApp(input: RegisterAppInput): SandboxApp;
  /** Stops deliveries and the server. */
  close(): Promise<void>;
  /** The in-memory state (apps, sessions, deliveries), for tests. */
  readonly store: SandboxStore;
}

/**
 * An offline Pasis: the provider's endpoint, the hosted pay page, signed webhook
 * deliveries with retries, the `/_sandbox` control API and a dashboard.
 *
 * @example
 * const sandbox = createSandbox({ retrySchedule: [50, 100, 200] });
 * const url = await sandbox.listen(0);
 * const app = sandbox.registerApp({ name: 'Shop', callback_url: `${shop}/webhook`, return_url: `${shop}/return` });
 * // createPasisClient({ baseUrl: url, appId: app.app_id }) …
 * await sandbox.close();
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const logger = options.logger ?? silentSandboxLogger;
  const store = new SandboxStore();
  let baseUrl: string | undefined;
  const url = () => {
    if (baseUrl === undefined) throw new Error('The sandbox is not listening yet: call listen() first.');
    return baseUrl;
  };
  const deliveries = new DeliveryEngine({
    store,
    logger,
    retrySchedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    timeoutMs: options.deliveryTimeoutMs ?? 10_000,
  });
  const service = new SandboxService(store, deliveries, url);

  async function route(req: IncomingMessage, res: ServerResponse) {
    const { pathname } = new URL(req.url ?? '/', 'http://sandbox');
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'POST' && pathname === '/api/checkouts/initiate') return initiate(service, req, res);
    if (parts[0] === 'pay' && parts.length === 2) return payPage(service, req, res, parts[1]!);
    if (parts[0] === '_sandbox' && (await control(service, req, res, parts.slice(1)))) return;
    if (req.method === 'GET' && pathname === '/') {
      return sendHtml(
        res,
        200,
        renderDashboard({
          apps: store.list(store.apps),
          sessions: store.list(store.sessions),
          deliveries: store.list(store.deliveries),
        }),
      );
    }
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${pathname}.`);
  }

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () =>
      logger.info(`${req.method} ${req.url} → ${res.statusCode} (${Date.now() - started} ms)`),
    );
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return sendError(res, error);
      logger.error(
        `internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.message : error}`,
      );
      sendJson(res, 500, { error: { code: 'internal_error', message: 'The sandbox failed to answer.' } });
    });
  });

  return {
    store,
    get url() {
      return url();
    },
    listen(port = 4010, host = '127.0.0.1') {
      return new Promise<string>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          baseUrl = `http://${shownHost}:${address.port}`;
          resolve(baseUrl);
        });
      });
    },
    registerApp: (input) => service.registerApp(input),
    async close() {
      await deliveries.close();
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
