import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configError } from './config-error.js';
import { DeliveryEngine } from './deliveries/engine.js';
import type { HostRules } from './guard/hosts.js';
import { guardRequest } from './guard/request-guard.js';
import { HttpError, sendError, sendJson } from './http.js';
import type { SandboxApp } from './model.js';
import { resolveOptions, type SandboxOptions } from './options.js';
import { CHECKOUTS_PREFIX, INITIATE_PATH, initiate, retrieve } from './routes/api.js';
import { control } from './routes/control.js';
import { HEALTH_PATH, health } from './routes/health.js';
import { LiveEvents } from './routes/live-events.js';
import { pages } from './routes/pages.js';
import { payPage } from './routes/pay.js';
import { redeliverForm } from './routes/redeliver-form.js';
import { type RegisterAppInput, SandboxService } from './service.js';
import { SandboxStore } from './store/sandbox-store.js';

export type { SandboxOptions } from './options.js';

/** A running (or ready to run) sandbox. */
export interface Sandbox {
  /**
   * Starts listening and resumes the pending deliveries of its data dir. Default port 4010,
   * host 127.0.0.1. Resolves with {@link Sandbox.url}.
   */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL, e.g. `http://127.0.0.1:4010`. Throws before `listen`. */
  readonly url: string;
  /**
   * Registers an application, as `POST /_sandbox/apps` does: a new one is unverified, with the
   * test numbers `0780000001`–`0780000003` as approved numbers, unless given. Registering an
   * `app_id` again updates it, keeping its secret, approved numbers and `verified` unless given.
   */
  registerApp(input: RegisterAppInput): SandboxApp;
  /** Stops deliveries (pending ones stay pending on disk), the server, and closes the data dir (releasing its lock). */
  close(): Promise<void>;
  /** The state (apps, sessions, deliveries), live objects for tests. */
  readonly store: SandboxStore;
}

/**
 * An offline Pasis: the provider's endpoints, the hosted pay page, signed webhook
 * deliveries with retries and sandbox-only behaviours (lose, duplicate, delay), the
 * `/_sandbox` control API, a live dashboard and a delivery inspector. In memory unless given
 * a `dataDir`. A bad option or an unusable data dir throws a `PasisError('config_error')`.
 *
 * @example
 * const sandbox = createSandbox({ retrySchedule: [50, 100, 200] });
 * const url = await sandbox.listen(0);
 * const app = sandbox.registerApp({ name: 'Shop', callback_url: `${shop}/webhook`, return_url: `${shop}/return` });
 * // createPasisClient({ baseUrl: url, appId: app.app_id }) …
 * await sandbox.close();
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = resolveOptions(options);
  const { logger } = config;
  const store = new SandboxStore(config.dataDir);
  let baseUrl: string | undefined;
  let hosts: HostRules = { port: -1, bindHost: '', allowedHosts: config.allowedHosts };
  const url = () => {
    if (baseUrl === undefined) throw configError('the sandbox is not listening yet: call listen() first.');
    return baseUrl;
  };
  const deliveries = new DeliveryEngine({
    store,
    logger,
    retrySchedule: config.retrySchedule,
    timeoutMs: config.deliveryTimeoutMs,
  });
  const service = new SandboxService(store, deliveries, url, config);
  const live = new LiveEvents(store);

  async function route(req: IncomingMessage, res: ServerResponse) {
    const { url: request, parts } = guardRequest(req, hosts);
    const { pathname } = request;
    if (req.method === 'GET' && pathname === HEALTH_PATH) return health(res);
    if (req.method === 'POST' && pathname === INITIATE_PATH) return initiate(service, req, res);
    if (req.method === 'GET' && pathname.startsWith(CHECKOUTS_PREFIX) && parts.length === 3) {
      return retrieve(service, res, parts[2]!, request.searchParams);
    }
    if (parts[0] === 'pay' && parts.length === 2) return payPage(service, req, res, parts[1]!);
    if (
      parts[0] === '_sandbox' &&
      (await control(service, live, req, res, parts.slice(1), request.searchParams))
    ) {
      return;
    }
    if (req.method === 'GET' && pages(service, res, parts, request)) return;
    if (
      req.method === 'POST' &&
      parts[0] === 'deliveries' &&
      parts[2] === 'redeliver' &&
      parts.length === 3
    ) {
      return redeliverForm(service, req, res, parts[1]!);
    }
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${pathname}.`);
  }

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    // The dashboard's own refreshes, its script, its event stream and wait loops polling the
    // health check would flood the log.
    const quiet =
      req.headers['x-pasis-live'] === '1' ||
      req.url === '/assets/live.js' ||
      req.url === '/_sandbox/events' ||
      req.url === HEALTH_PATH;
    res.on('finish', () => {
      if (!quiet) logger.info(`${req.method} ${req.url} → ${res.statusCode} (${Date.now() - started} ms)`);
    });
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return sendError(res, error);
      logger.error(
        `internal error on ${req.method} ${req.url}: ${error instanceof Error ? error.message : error}`,
      );
      sendJson(res, 500, { error: { code: 'internal_error', message: 'The sandbox failed to answer.' } });
    });
  });

  let closed: Promise<void> | undefined;
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
          baseUrl = config.publicUrl ?? `http://${shownHost}:${address.port}`;
          const publicHost = config.publicUrl === undefined ? [] : [new URL(config.publicUrl).host];
          hosts = {
            port: address.port,
            bindHost: host,
            allowedHosts: [...config.allowedHosts, ...publicHost],
          };
          const resumed = deliveries.resume();
          if (resumed > 0) logger.info(`resumed ${resumed} pending deliveries from ${store.dataDir}`);
          const waiting = service.approvals.resume();
          if (waiting > 0) logger.info(`resumed ${waiting} payments awaiting approval from ${store.dataDir}`);
          resolve(baseUrl);
        });
      });
    },
    registerApp: (input) => service.registerApp(input),
    close() {
      closed ??= (async () => {
        // No new requests first, then no new attempts; the data dir closes last.
        live.close();
        service.approvals.close();
        if (server.listening) {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
        }
        await deliveries.close();
        store.close();
      })();
      return closed;
    },
  };
}
