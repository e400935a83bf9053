/**
 * The Fetch API's side of the receiver (Hono, Next.js route handlers, Bun, Deno): a
 * `Request` read into a reader's result, handed to `handle()` like any adapter's, and its
 * answer turned into a `Response`. It decides nothing: every status, message and the
 * delivery's telemetry are `handle()`'s.
 */
import type { RawBodyResult, WebhookRequest, WebhookResponse } from './receiver-types.js';

/**
 * Logged once per receiver (at error) when a Request arrives with its body already read.
 *
 * @example
 * handleWith({ read: { kind: 'consumed' }, headers }, USED_BODY_HINT);
 */
export const USED_BODY_HINT =
  'The Pasis webhook got a Fetch Request whose body was already read (request.json(), .text() or ' +
  '.formData() ran first), so its signature cannot be checked. Pass the request to webhooks.fetch() ' +
  'untouched, or call webhooks.handle({ body: await request.arrayBuffer() … }) with the raw bytes.';

const TOO_LARGE: RawBodyResult = Object.freeze({ kind: 'too_large' });
const UNREADABLE: RawBodyResult = Object.freeze({ kind: 'unreadable' });
const CONSUMED: RawBodyResult = Object.freeze({ kind: 'consumed' });
const EMPTY: RawBodyResult = Object.freeze({ kind: 'bytes', body: new Uint8Array(0) });

/**
 * Reads a Fetch request's body up to `limit` bytes. Never rejects: a body already read (or
 * locked by a reader) is `consumed`, a larger one `too_large` (the stream is cancelled rather
 * than read to its end), a stream that fails while being read `unreadable`.
 *
 * @example
 * const read = await readFetchBody(request, webhooks.maxBodyBytes); // { kind: 'bytes', body } | …
 */
export async function readFetchBody(request: Request, limit: number): Promise<RawBodyResult> {
  if (request.bodyUsed || request.body?.locked === true) return CONSUMED;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  if (request.body === null) return EMPTY;
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      chunks.push(value);
    }
  } catch {
    return UNREADABLE;
  }
  return { kind: 'bytes', body: Buffer.concat(chunks, size) };
}

function toResponse(answer: WebhookResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

function isRequestLike(value: unknown): value is Request {
  const request = value as Request | null | undefined;
  return (
    typeof request === 'object' &&
    request !== null &&
    typeof request.headers?.get === 'function' &&
    typeof request.bodyUsed === 'boolean'
  );
}

/**
 * A receiver's `fetch()`: `Request` in, `Response` out, never rejecting. `handle` is the
 * receiver's own, told whether the body came from a Fetch Request (for the advice logged
 * when it was already read).
 *
 * @example
 * const fetch = fetchAnswerer((request, fromFetch) => handle(request, fromFetch), maxBodyBytes);
 */
export function fetchAnswerer(
  handle: (request: WebhookRequest, fromFetch: boolean) => Promise<WebhookResponse>,
  maxBodyBytes: number,
): (request: Request) => Promise<Response> {
  return async (request) => {
    // Not a Request at all (an adapter's bug): answered like a body nobody read.
    if (!isRequestLike(request)) return toResponse(await handle({ headers: {} }, false));
    const read = await readFetchBody(request, maxBodyBytes);
    return toResponse(await handle({ read, headers: request.headers }, true));
  };
}
