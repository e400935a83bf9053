import type { WebhookHandler } from './types.js';
import { errorResponse, type WebhookResponse } from './outcome.js';

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
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function toResponse(answer: WebhookResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** Adapts a handler to the Fetch API: `Request` in, `Response` out. */
export function toFetchHandler(handler: Pick<WebhookHandler, 'handle' | 'maxBodyBytes'>) {
  return async (request: Request): Promise<Response> => {
    const body = await readBodyWithin(request, handler.maxBodyBytes);
    if (body === undefined) {
      return toResponse(
        errorResponse('body_too_large', `The body is larger than ${handler.maxBodyBytes} bytes.`),
      );
    }
    return toResponse(await handler.handle({ body, headers: request.headers }));
  };
}
