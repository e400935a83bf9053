import { type AttemptResponse, RESPONSE_BODY_LIMIT } from '../model.js';

/** What one HTTP attempt came to. */
export interface SendResult {
  status_code?: number;
  response?: AttemptResponse;
  error?: string;
  duration_ms: number;
}

/** Reads at most `limit` bytes of a body, then stops reading (a huge answer is not waited for). */
async function readStart(body: ReadableStream<Uint8Array> | null, limit: number) {
  if (!body) return { text: '', truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > limit) {
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  const text = Buffer.concat(chunks).subarray(0, limit).toString('utf8');
  return { text, truncated };
}

/** A network failure as a short code: `ECONNREFUSED`, `TimeoutError`, `sandbox_closed`… */
function errorCode(error: unknown, closing: AbortSignal): string {
  if (closing.aborted) return 'sandbox_closed';
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.name : String(error));
}

/**
 * POSTs one signed delivery and records the answer: status, headers and the first 4 KiB of
 * the body, or the network error; never throws.
 *
 * @example
 * const result = await send(url, { body, headers }, { timeoutMs: 10_000, closing: controller.signal });
 */
export async function send(
  url: string,
  request: { body: string; headers: Record<string, string> },
  options: { timeoutMs: number; closing: AbortSignal },
): Promise<SendResult> {
  const started = performance.now();
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.closing]);
  const result: SendResult = { duration_ms: 0 };
  try {
    const res = await fetch(url, { method: 'POST', ...request, signal, redirect: 'manual' });
    result.status_code = res.status;
    const headers = Object.fromEntries(res.headers);
    try {
      const { text, truncated } = await readStart(res.body, RESPONSE_BODY_LIMIT);
      result.response = { headers, body: text, body_truncated: truncated };
    } catch (error) {
      // The status arrived; the body broke off. Both are facts worth showing.
      result.response = { headers, body: '', body_truncated: true };
      result.error = errorCode(error, options.closing);
    }
  } catch (error) {
    result.error = errorCode(error, options.closing);
  }
  result.duration_ms = Math.round(performance.now() - started);
  return result;
}
