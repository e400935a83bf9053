/**
 * One HTTP attempt: the request, a timeout that covers the body too, and a full read of
 * the body. Reading every body to its end is what lets undici put the socket back in its
 * keep-alive pool; an unread body would cost a new connection per call.
 */
import { isPasisError, PasisError } from '../errors.js';
import { abortedError } from './retry.js';

/** Largest body read from Pasis; a session answer is a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

/** A request to send, identical on every attempt: a create (POST) or a retrieve (GET). */
export interface OutgoingRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** The JSON body of a POST; `undefined` for a GET. */
  body: string | undefined;
  /** Sent as `Idempotency-Key` with a POST; `undefined` for a GET. */
  idempotencyKey: string | undefined;
  signal: AbortSignal | undefined;
  /** The path with its variable parts named, for telemetry (`/api/checkouts/{session_id}`). */
  urlTemplate?: string;
  /**
   * Whether repeating an attempt that may have been processed is harmless (a GET): resets,
   * timeouts and every 5xx are then retried too, not only what provably never arrived.
   */
  safeToRetry: boolean;
}

// A GET carries no body, so no Content-Type, and no key: repeating it changes nothing.
const GET_HEADERS: Readonly<Record<string, string>> = Object.freeze({ Accept: 'application/json' });

/** A response read to its end. */
export interface ReadResponse {
  status: number;
  headers: Headers;
  body: string;
}

const TIMEOUT = Symbol('pasis timeout');

function tooLarge(status: number, idempotencyKey: string | undefined): PasisError<'invalid_response'> {
  return new PasisError('invalid_response', `Pasis answered HTTP ${status} with a body over 1 MiB.`, {
    status,
    idempotencyKey,
  });
}

async function readBody(res: Response, status: number, idempotencyKey: string | undefined): Promise<string> {
  if (res.body === null) return '';
  // Fast path: a declared length within the limit is read in one go by undici itself. Not
  // for a compressed body, whose declared length says nothing of its decoded size.
  const declared = res.headers.has('content-encoding')
    ? Number.NaN
    : Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared <= MAX_RESPONSE_BYTES) return res.text();
  if (declared > MAX_RESPONSE_BYTES) {
    await res.body.cancel().catch(() => {});
    throw tooLarge(status, idempotencyKey);
  }
  // No length (chunked): count while reading, and stop at the limit.
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge(status, idempotencyKey);
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * Sends the request once. Resolves with any HTTP answer (the caller judges the status);
 * rejects with `aborted`, `timeout`, `invalid_response` (oversized body) or
 * `connection_error` (its `cause` tells whether the request left at all).
 */
export async function sendOnce(
  fetchFn: typeof fetch,
  req: OutgoingRequest,
  timeoutMs: number,
): Promise<ReadResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
  const onCallerAbort = () => controller.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onCallerAbort, { once: true });
  let status: number | undefined;
  try {
    const res = await fetchFn(req.url, {
      method: req.method,
      headers:
        req.body === undefined
          ? GET_HEADERS
          : {
              Accept: 'application/json',
              'Content-Type': 'application/json',
              'Idempotency-Key': req.idempotencyKey as string,
            },
      body: req.body,
      // A redirect is reported, never followed: the request must not leave baseUrl's origin.
      redirect: 'manual',
      signal: controller.signal,
    });
    status = res.status;
    return { status, headers: res.headers, body: await readBody(res, status, req.idempotencyKey) };
  } catch (error) {
    if (req.signal?.aborted) throw abortedError(req.signal, req.idempotencyKey);
    if (controller.signal.aborted && controller.signal.reason === TIMEOUT) {
      const when = status === undefined ? 'answer' : `finish its HTTP ${status} answer`;
      // Only a create leaves a doubt behind; a retrieve changed nothing either way.
      const doubt = req.method === 'POST' ? '; the session may or may not have been created' : '';
      throw new PasisError('timeout', `Pasis did not ${when} within ${timeoutMs} ms${doubt}.`, {
        status,
        idempotencyKey: req.idempotencyKey,
      });
    }
    if (isPasisError(error)) throw error;
    throw new PasisError(
      'connection_error',
      `Could not reach Pasis at ${req.url.origin}: ${describe(error)}.`,
      {
        status,
        idempotencyKey: req.idempotencyKey,
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onCallerAbort);
  }
}

// "fetch failed" says nothing: name the socket-level code when undici gives one.
function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? message : `${message} (${code})`;
}
