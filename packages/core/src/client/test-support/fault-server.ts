/**
 * A real node:http server on 127.0.0.1:0 for the client's tests: it records every request
 * (raw bytes included) and answers each with the next queued fault, so tests exercise
 * undici, sockets and timers for real instead of a mocked fetch.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Bytes actually received, to compare with Content-Length. */
  bytes: number;
}

/** How to answer one request. */
export type Fault = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A running fault server. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>/`, ready to be a client's baseUrl. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (keep-alive reuse shows as few of them). */
  connections: () => number;
  /** Queues answers for the next requests, in order; after the queue, `fallback` answers. */
  enqueue: (...faults: Fault[]) => void;
  fallback: Fault;
  /** Forgets queued faults and recorded requests, and restores the default answer. */
  clear: () => void;
  close: () => Promise<void>;
}

/** A documented 200 session answer, with optional overrides and extra fields. */
export function sessionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'sess_12345',
    amount: 5000,
    kind: 'session:created',
    payment_link: 'https://checkout.pasis.rw/pay/sess_12345',
    created_at: '2025-09-11T09:00:00Z',
    ...overrides,
  };
}

/** A documented §1b retrieve answer (a paid session), with optional overrides and extra fields. */
export function retrievedBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'sess_12345',
    amount: 5000,
    status: 'success',
    payment_link: 'https://checkout.pasis.rw/pay/sess_12345',
    created_at: '2025-09-11T09:00:00Z',
    completed_at: '2025-09-11T09:03:10Z',
    ...overrides,
  };
}

/** Ready-made answers. */
export const faults = {
  json:
    (status: number, body: unknown, headers: Record<string, string> = {}): Fault =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    },
  text:
    (status: number, body: string, headers: Record<string, string> = {}): Fault =>
    (_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    },
  session: (overrides: Record<string, unknown> = {}): Fault => faults.json(200, sessionBody(overrides)),
  retrieved: (overrides: Record<string, unknown> = {}): Fault => faults.json(200, retrievedBody(overrides)),
  error: (
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Fault => faults.json(status, { error: { code, message, ...extra } }, headers),
  html: (status: number): Fault =>
    faults.text(status, '<html><body><h1>Bad Gateway</h1><p>nginx</p></body></html>', {
      'content-type': 'text/html',
    }),
  /** Never answers: the client's timeout must fire. */
  stall: (): Fault => () => {},
  /** Headers, then a body that never ends. */
  stallBody: (): Fault => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"session_id":');
  },
  /** Reads the request, then kills the socket: the request may have been processed. */
  reset: (): Fault => (req) => {
    req.socket.destroy();
  },
  redirect: (status: number, location: string): Fault => faults.text(status, '', { location }),
};

/** Starts a fault server; answers the documented session by default. */
export async function startFaultServer(): Promise<FaultServer> {
  const queue: Fault[] = [];
  const requests: RecordedRequest[] = [];
  let connections = 0;
  const state = { fallback: faults.session() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        bytes: raw.length,
      });
      (queue.shift() ?? state.fallback)(req, res, body);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    port,
    requests,
    connections: () => connections,
    enqueue: (...faults) => queue.push(...faults),
    clear: () => {
      queue.length = 0;
      requests.length = 0;
      state.fallback = faults.session();
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(fault) {
      state.fallback = fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
