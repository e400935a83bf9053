import type { PasisLogger } from '../logging/logger.js';
import type { WebhookReceiver } from './receiver-types.js';
import { errorResponse, unreadableResponse } from './outcome.js';
import { type WebhookResponse } from './receiver-types.js';

const USED_BODY_HINT =
  'The Pasis webhook got a Fetch Request whose body was already read (request.json(), .text() or ' +
  '.formData() ran first), so its signature cannot be checked. Pass the request to webhooks.fetch() ' +
  'untouched, or call webhooks.handle({ body: await request.arrayBuffer() … }) with the raw bytes.';

/**
 * Reads a Fetch request body up to `limit` bytes. Returns `undefined` when it is larger:
 * the stream is cancelled rather than read to its end.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
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
 * Adapts a handler to the Fetch API: `Request` in, `Response` out. Never rejects: a body
 * that was already read (or is locked by a reader) is `body_already_parsed`, a stream that
 * fails while being read is `body_unreadable`, each answered from the table.
 */
export function toFetchHandler(
  handler: Pick<WebhookReceiver, 'handle' | 'maxBodyBytes'>,
  logger: PasisLogger,
) {
  let warnedUsed = false;
  return async (request: Request): Promise<Response> => {
    if (!isRequestLike(request)) return toResponse(await handler.handle({ body: undefined, headers: {} }));
    if (request.bodyUsed || request.body?.locked === true) {
      if (!warnedUsed) {
        warnedUsed = true;
        logger.error(USED_BODY_HINT, { outcome: 'body_already_parsed' });
      }
      return toResponse(errorResponse('body_already_parsed', 'The request body was already read.'));
    }
    let body: Uint8Array | undefined;
    try {
      body = await readBodyWithin(request, handler.maxBodyBytes);
    } catch {
      return toResponse(unreadableResponse());
    }
    if (body === undefined) {
      return toResponse(
        errorResponse('body_too_large', `The body is larger than ${handler.maxBodyBytes} bytes.`),
      );
    }
    return toResponse(await handler.handle({ body, headers: request.headers }));
  };
}
