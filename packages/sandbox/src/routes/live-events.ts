import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxStore, StoreChange } from '../store/sandbox-store.js';

/** A comment line this often keeps idle connections (and proxies) from giving up. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /_sandbox/events`: server-sent events, one `change` event (`{ type, id }`) for every
 * change of an app, a session or a delivery. The dashboard listens and refreshes itself.
 */
export class LiveEvents {
  readonly #clients = new Set<ServerResponse>();
  readonly #stop: () => void;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(store: SandboxStore) {
    this.#stop = store.onChange((change) => this.#broadcast(change));
    this.#heartbeat = setInterval(() => {
      for (const res of this.#clients) res.write(': ping\n\n');
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // A browser reconnects after a second; `ready` tells it the stream is open.
    res.write('retry: 1000\nevent: ready\ndata: {}\n\n');
    this.#clients.add(res);
    req.once('close', () => this.#clients.delete(res));
  }

  close(): void {
    this.#stop();
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #broadcast(change: StoreChange) {
    const frame = `event: change\ndata: ${JSON.stringify(change)}\n\n`;
    for (const res of this.#clients) res.write(frame);
  }
}
