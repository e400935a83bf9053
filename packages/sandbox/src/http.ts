import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body the sandbox reads (initiate, forms, control API). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Thrown by a route to answer with a JSON error (CONTRACT §1 error shape). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Reads the whole body as text, refusing more than 1 MiB. */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'invalid_request', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON or urlencoded body into a plain object. */
export async function readFields(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readText(req);
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(text)) fields[key] = value;
    return fields;
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'invalid_request', 'The request body is not valid JSON.');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    // Everything is inline; nothing may load from elsewhere.
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; " +
      "form-action *; base-uri 'none'; frame-ancestors 'none'",
  });
  res.end(html);
}

/** A script of the sandbox's own (the CSP allows `'self'` only). */
export function sendScript(res: ServerResponse, source: string) {
  res.writeHead(200, {
    'content-type': 'text/javascript; charset=utf-8',
    'content-length': Buffer.byteLength(source),
    'cache-control': 'no-cache',
  });
  res.end(source);
}

export function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { location, 'content-length': 0 });
  res.end();
}

/** The JSON error body of CONTRACT §1. */
export function sendError(res: ServerResponse, error: HttpError) {
  sendJson(
    res,
    error.status,
    { error: { code: error.code, message: error.message, ...error.extra } },
    error.status === 429 ? { 'retry-after': '1' } : {},
  );
}
