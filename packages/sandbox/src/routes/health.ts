import type { ServerResponse } from 'node:http';
import { sendJson } from '../http.js';

/** `GET /_sandbox/health` (CONTRACT §4): what CI wait loops and container health checks poll. */
export const HEALTH_PATH = '/_sandbox/health';

/**
 * Answers `200 { "ok": true }`. There is nothing else to check: the route exists only while
 * the server listens (before `listen` and after `close` the port refuses connections), and a
 * wait loop may poll it many times a second, so it reads no state.
 *
 * @example
 * // curl -sf http://127.0.0.1:4010/_sandbox/health → {"ok":true}
 * health(res);
 */
export function health(res: ServerResponse): void {
  sendJson(res, 200, { ok: true }, { 'cache-control': 'no-store' });
}
