/**
 * A small Pasis answering CONTRACT §1b for tests, on a real node:http server on
 * 127.0.0.1:0: sessions you set `open`, `success` or `cancelled`; a 429, a 5xx or a reset on
 * demand; a rate limit like Pasis's (a token bucket answering 429 + `Retry-After`); answers
 * held back until released (a slow Pasis); and a count of requests in flight, so a test can
 * check a concurrency bound against real sockets.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckoutSessionStatus } from '../../client/retrieved-session.js';

/** A failure to answer one request with, instead of the session. */
export type SessionFault =
  | { kind: 'rate_limited'; retryAfterSec?: number }
  | { kind: 'error'; status: number }
  | { kind: 'reset' };

/**
 * Options of {@link startSessionServer}.
 *
 * @example
 * await startSessionServer('app_test', { rateLimit: { perSecond: 10, burst: 20 } });
 */
export interface SessionServerOptions {
  /**
   * A token bucket over every request: `burst` at once (default `perSecond`), refilled at
   * `perSecond`; beyond it, `429 rate_limited` with `Retry-After` in whole seconds (≥ 1), as
   * the sandbox's `--rate-limit` answers. Default: no limit.
   */
  rateLimit?: { perSecond: number; burst?: number };
}

/** A running §1b server. */
export interface SessionServer {
  /** `http://127.0.0.1:<port>/`, ready to be a client's baseUrl. */
  baseUrl: string;
  /** The only app id it answers for; any other gets 404 `unknown_app`. */
  appId: string;
  /** Creates or updates a session; `completed_at` is set once it is not `open`. */
  set(sessionId: string, status: CheckoutSessionStatus, amount?: number): void;
  /** Queues faults for the next requests about `sessionId` (or about any session, with `'*'`). */
  fail(sessionId: string, ...faults: SessionFault[]): void;
  /** From now on, requests wait (counted in flight) until the returned function is called. */
  hold(): () => void;
  /** Releases every hold and forgets queued faults (after each test, so a failed one leaks nothing). */
  reset(): void;
  /** Session ids asked for, in arrival order. */
  readonly requested: string[];
  /** Requests refused with 429 by the rate limit (not by a queued fault). */
  rateLimited(): number;
  /** Requests being answered right now, and the most there ever were at once. */
  inFlight(): number;
  maxInFlight(): number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A token bucket: `take()` is 0 when a request may pass, else the seconds until one may. */
function tokenBucket(limit: SessionServerOptions['rateLimit']) {
  if (limit === undefined) return () => 0;
  const { perSecond, burst = perSecond } = limit;
  let tokens = burst;
  let at = performance.now();
  return () => {
    const t = performance.now();
    tokens = Math.min(burst, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - tokens) / perSecond));
  };
}

/** Starts a §1b server for `appId` (default `app_test`), with no sessions. */
export async function startSessionServer(
  appId = 'app_test',
  options: SessionServerOptions = {},
): Promise<SessionServer> {
  const sessions = new Map<string, { status: CheckoutSessionStatus; amount: number }>();
  const faults = new Map<string, SessionFault[]>();
  const requested: string[] = [];
  let holds: Promise<void>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let rateLimited = 0;
  const take = tokenBucket(options.rateLimit);

  const releases = new Set<() => void>();
  const takeFault = (id: string) => faults.get(id)?.shift() ?? faults.get('*')?.shift();

  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/api\/checkouts\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || match === null) return json(res, 405, { error: { code: 'not_here' } });
    const id = decodeURIComponent(match[1]!);
    requested.push(id);
    await Promise.all(holds);
    const waitSec = take();
    if (waitSec > 0) {
      rateLimited++;
      const body = { error: { code: 'rate_limited', message: 'Too many requests' } };
      return json(res, 429, body, { 'retry-after': String(waitSec) });
    }
    if (url.searchParams.get('app_id') !== appId) {
      return json(res, 404, { error: { code: 'unknown_app', message: 'Unknown app_id' } });
    }
    const fault = takeFault(id);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'rate_limited') {
      const headers: Record<string, string> =
        fault.retryAfterSec === undefined ? {} : { 'retry-after': String(fault.retryAfterSec) };
      return json(res, 429, { error: { code: 'rate_limited', message: 'Slow down' } }, headers);
    }
    if (fault?.kind === 'error') return json(res, fault.status, { error: { code: 'internal_error' } });
    const session = sessions.get(id);
    if (session === undefined) {
      return json(res, 404, { error: { code: 'unknown_session', message: 'No such session' } });
    }
    json(res, 200, {
      session_id: id,
      amount: session.amount,
      status: session.status,
      payment_link: `https://checkout.pasis.rw/pay/${encodeURIComponent(id)}`,
      created_at: '2025-09-11T09:00:00Z',
      ...(session.status === 'open' ? {} : { completed_at: '2025-09-11T09:03:10Z' }),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    appId,
    set: (id, status, amount = 5000) => void sessions.set(id, { status, amount }),
    fail: (id, ...queued) => void faults.set(id, [...(faults.get(id) ?? []), ...queued]),
    hold: () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      holds = [...holds, held];
      const unhold = () => {
        holds = holds.filter((h) => h !== held);
        releases.delete(unhold);
        release();
      };
      releases.add(unhold);
      return unhold;
    },
    reset: () => {
      for (const unhold of [...releases]) unhold();
      faults.clear();
    },
    requested,
    rateLimited: () => rateLimited,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
