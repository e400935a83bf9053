/**
 * Turns a non-2xx answer into a typed {@link PasisError}. The body is parsed defensively: a
 * proxy's HTML page or an empty body still gives a typed error, never a SyntaxError, and
 * no body is ever copied wholesale into a message.
 */
import { PasisError, type PasisErrorCode, type PasisIssue } from '../errors.js';
import { parseWireError } from './wire.js';

/** Longest piece of provider text quoted in a message. */
const MAX_QUOTED = 300;

/** The provider's codes the SDK surfaces as its own (CONTRACT §1). */
const PROVIDER_CODES = new Set<PasisErrorCode>([
  'invalid_request',
  'unknown_app',
  'phone_number_not_found',
  'unknown_session',
  'rate_limited',
]);

/** The provider's troubleshooting rule, which its bare "Phone number not found" does not say. */
export const PHONE_NUMBER_HINT =
  'An unverified Pasis application can be paid from at most 3 approved phone numbers: register the ' +
  'number under Approved Numbers in the Pasis dashboard, or verify the application.';

/** Keeps a quoted text short and on one line (no control characters from the server). */
export function quote(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > MAX_QUOTED ? `${flat.slice(0, MAX_QUOTED)}…` : flat;
}

/** Parses a body as JSON, or `undefined`: error bodies are often not JSON at all. */
export function tryParseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// The provider's issues are quoted too: bounded in number and length like any server text.
function boundedIssues(issues: PasisIssue[] | undefined): PasisIssue[] {
  return (issues ?? []).slice(0, 100).map((i) => ({ path: i.path.slice(0, 20), message: quote(i.message) }));
}

/** What is known about a failed response. */
export interface FailedResponse {
  status: number;
  contentType: string | null;
  body: string;
  retryAfterMs: number | undefined;
  /** The create's key; `undefined` for a retrieve. */
  idempotencyKey: string | undefined;
}

function describeBody(res: FailedResponse): string {
  if (res.body === '') return 'an empty body';
  const type = res.contentType?.split(';')[0]?.trim() || 'unknown type';
  return `a ${type} body of ${new TextEncoder().encode(res.body).byteLength} bytes`;
}

/**
 * Chooses the error for a non-2xx response: the provider's own code when the body follows
 * the error convention, `rate_limited` for any 429, `api_error` otherwise (3xx included).
 * A 404 is `unknown_session` only when the body says so: a bare 404 (a proxy's page, a
 * wrong `baseUrl`) is `api_error`, so a misconfiguration never reads as "no such session".
 */
export function responseError(res: FailedResponse): PasisError {
  const wire = parseWireError(tryParseJson(res.body));
  const known = wire?.code !== undefined && PROVIDER_CODES.has(wire.code as PasisErrorCode);
  const code: PasisErrorCode = known
    ? (wire?.code as PasisErrorCode)
    : res.status === 429
      ? 'rate_limited'
      : 'api_error';
  const detail = wire?.message ? quote(wire.message) : `HTTP ${res.status} with ${describeBody(res)}`;
  let message: string;
  if (code === 'phone_number_not_found') message = `${detail}. ${PHONE_NUMBER_HINT}`;
  else if (code === 'unknown_session') {
    message = `Pasis does not know this checkout session, or it belongs to another app (${detail}).`;
  } else if (code === 'rate_limited') {
    const wait = res.retryAfterMs === undefined ? '' : ` Retry after ${res.retryAfterMs} ms.`;
    message = `Pasis rate limit reached (${detail}).${wait}`;
  } else if (res.status >= 300 && res.status < 400) {
    message = `Pasis answered a redirect (HTTP ${res.status}), which the client does not follow: check baseUrl.`;
  } else message = `Pasis answered HTTP ${res.status}: ${detail}.`;
  return new PasisError(code, message, {
    status: res.status,
    idempotencyKey: res.idempotencyKey,
    retryAfterMs: res.retryAfterMs,
    issues: code === 'invalid_request' ? boundedIssues(wire?.issues) : undefined,
  });
}
