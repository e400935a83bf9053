import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy in front of the sandbox that counts what a shop asks it (CONTRACT §1b retrieves). */
export interface CountingProxy {
  /** Where the shop's Pasis client points (its `PASIS_BASE_URL`). */
  url: string;
  /** `GET /api/checkouts/<id>` requests so far, per session id. */
  retrieves(sessionId: string): number;
  /** `GET /api/checkouts/<id>` requests so far, all sessions together. */
  totalRetrieves(): number;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` (the sandbox) unchanged but for `Host` (the sandbox's
 * own, as it requires), and counts the retrieves. On 127.0.0.1, port 0.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const match = /^\/api\/checkouts\/([^/?]+)(\?|$)/.exec(req.url ?? '');
    if (req.method === 'GET' && match && match[1] !== 'initiate') {
      const id = decodeURIComponent(match[1] ?? '');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    retrieves: (id) => counts.get(id) ?? 0,
    totalRetrieves: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
