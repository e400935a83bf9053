/**
 * A slow sender for tests: a request whose body is written over a raw socket a few bytes at
 * a time, as a client holding a server's connection would. A server that bounds how long a
 * body may take answers (and closes) before the last byte; one that does not is still
 * waiting when the sender gives up.
 */
import { connect } from 'node:net';

/**
 * Options of {@link trickleRequest}.
 *
 * @example
 * await trickleRequest('http://127.0.0.1:3000/webhook', { body: '{"kind":"session:processed"}', everyMs: 200 });
 */
export interface TrickleOptions {
  /** The whole body, announced in `Content-Length`; written `bytesPerTick` at a time. */
  body: string;
  /** Header lines besides Host and Content-Length. Default: `content-type: application/json`. */
  headers?: Record<string, string>;
  /** Default `POST`. */
  method?: string;
  /** Pause between two writes, in ms. Default 200. */
  everyMs?: number;
  /** Bytes per write. Default 1. */
  bytesPerTick?: number;
  /** When to stop waiting for an answer, in ms after the headers went out. Default 10,000. */
  giveUpMs?: number;
}

/** What the server did with the slow request. */
export interface TrickleResult {
  /** The answer's status, or `undefined` when none came before `giveUpMs`. */
  status: number | undefined;
  /** The raw response head (status line and headers) and body, as received. */
  head: string;
  body: string;
  /** Whether the server closed the connection (before the sender gave up). */
  closed: boolean;
  /** Body bytes written before the answer, the close or the end. */
  bytesSent: number;
}

/**
 * Sends `options.body` to `url` slowly over a plain TCP socket and resolves with what the
 * server answered: once it has closed the connection, or at `giveUpMs` (`status`
 * `undefined` if nothing came). Never rejects on a reset: that is a close.
 *
 * @example
 * const result = await trickleRequest(`${url}/webhook`, { body: JSON.stringify(event), giveUpMs: 5_000 });
 * expect(result.status).toBe(408);
 */
export function trickleRequest(url: string, options: TrickleOptions): Promise<TrickleResult> {
  const target = new URL(url);
  const bytes = Buffer.from(options.body);
  const { everyMs = 200, bytesPerTick = 1, giveUpMs = 10_000, method = 'POST' } = options;
  const headers = { 'content-type': 'application/json', ...options.headers };
  const head = [
    `${method} ${target.pathname}${target.search} HTTP/1.1`,
    `host: ${target.host}`,
    `content-length: ${bytes.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');

  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let answered = false;
    let ticker: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearTimeout(giveUp);
      socket.destroy();
      const text = Buffer.concat(received).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        head: split < 0 ? text : text.slice(0, split),
        body: split < 0 ? '' : text.slice(split + 4),
        closed,
        bytesSent: sent,
      });
    };
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (chunk) => {
      answered = true;
      received.push(chunk);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => {}); // a reset is reported as the close that follows it
    socket.on('connect', () => {
      socket.write(head);
      ticker = setInterval(() => {
        if (answered || sent >= bytes.length) return clearInterval(ticker);
        const next = bytes.subarray(sent, sent + bytesPerTick);
        sent += next.length;
        socket.write(next);
      }, everyMs);
    });
  });
}
