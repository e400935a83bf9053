/**
 * How long a shop's server waits for a client, the same in the three shops. Node's own
 * defaults are 60 s for the headers and 300 s for the whole request, and Fastify turns the
 * latter off: a client trickling bytes would hold a connection for that long, or forever.
 */

/** The whole request, headers and body: 30 s. */
export const SHOP_REQUEST_TIMEOUT_MS = 30_000;

/** The request's headers: 10 s. */
export const SHOP_HEADERS_TIMEOUT_MS = 10_000;

/**
 * Sets {@link SHOP_REQUEST_TIMEOUT_MS} and {@link SHOP_HEADERS_TIMEOUT_MS} on a Node HTTP
 * server (Express's `app.listen()`, Fastify's `app.server`, Nest's `app.getHttpServer()`).
 * Node answers a request that overruns them 408 and closes its connection.
 *
 * @example
 * applyServerTimeouts(app.listen(3000));
 */
export function applyServerTimeouts(server: { requestTimeout: number; headersTimeout: number }): void {
  server.requestTimeout = SHOP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = SHOP_HEADERS_TIMEOUT_MS;
}
