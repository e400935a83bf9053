import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http.js';
import { type HostRules, isOwnHost } from './hosts.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's path, split and decoded, once it passed every check. */
export interface GuardedRequest {
  url: URL;
  /** The path's segments, `%`-decoded: `/pay/sess_1` → `['pay', 'sess_1']`. */
  parts: string[];
}

/** Whether `origin` (an `Origin` or `Referer` value) is a page of this sandbox. */
function isOwnOrigin(origin: string, rules: HostRules): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isOwnHost(url.host, rules, url.protocol === 'https:' ? 443 : 80);
  } catch {
    return false; // `null` (a sandboxed frame, a file:// page) included
  }
}

/**
 * Why a state-changing request comes from someone else's page, or `undefined`. `Origin`
 * decides when present (every browser sends it on a cross-origin POST); without it, a
 * browser's `Sec-Fetch-Site`, else an old browser's `Referer`. A request with none of the
 * three (curl, the CLI, a shop's server) is not a page's, and passes.
 */
function foreignSource(req: IncomingMessage, rules: HostRules): string | undefined {
  const { origin, referer } = req.headers;
  const site = req.headers['sec-fetch-site'];
  if (origin !== undefined) return isOwnOrigin(origin, rules) ? undefined : `Origin ${origin}`;
  if (typeof site === 'string')
    return site === 'same-origin' || site === 'none' ? undefined : `a ${site} page`;
  if (referer !== undefined && !isOwnOrigin(referer, rules)) return 'a page elsewhere (Referer)';
  return undefined;
}

// A form or a text/plain body is what a page elsewhere can send without asking (no CORS
// preflight); JSON it cannot. An empty POST (curl -X POST) is not a form either.
function isJsonOrEmpty(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '') {
    const length = req.headers['content-length'];
    return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  }
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_request', 'The path has a malformed % escape.');
  }
}

/**
 * Who may drive the sandbox (CONTRACT §4): a request to another `Host` is 421, a
 * state-changing request from another origin 403, a control-API write that is not JSON 415,
 * a path that is not one (`%zz`, an absolute URL) 400. Throws an {@link HttpError}; returns
 * the parsed path otherwise.
 *
 * @example
 * const { url, parts } = guardRequest(req, { port: 4010, bindHost: '127.0.0.1', allowedHosts: [] });
 */
export function guardRequest(req: IncomingMessage, rules: HostRules): GuardedRequest {
  const target = req.url ?? '';
  if (!target.startsWith('/')) {
    throw new HttpError(400, 'invalid_request', 'The request target must be a path.');
  }
  if (!isOwnHost(req.headers.host, rules)) {
    throw new HttpError(
      421,
      'misdirected_request',
      'This sandbox answers to its own host only (a loopback name with its port, or the host it binds); start it with --allowed-host <name> to allow another.',
    );
  }
  const method = req.method ?? 'GET';
  if (!SAFE_METHODS.has(method)) {
    const source = foreignSource(req, rules);
    if (source !== undefined) {
      throw new HttpError(
        403,
        'cross_origin_request',
        `Refused a ${method} from ${source}: only the sandbox's own pages, and clients that are not browsers, may change it.`,
      );
    }
  }
  // Built by concatenation: resolving `//host/…` against a base would make it a host.
  const url = new URL(`http://sandbox${target}`);
  if (!SAFE_METHODS.has(method) && url.pathname.startsWith('/_sandbox/') && !isJsonOrEmpty(req)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'The control API takes JSON only: send content-type: application/json.',
    );
  }
  return { url, parts: url.pathname.split('/').filter(Boolean).map(decodeSegment) };
}
