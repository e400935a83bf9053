/**
 * The adapter conformance suite's tools: real HTTP requests (declared length or chunked)
 * with a deadline, and the check that an answer is exactly core's. Framework-neutral and
 * runner-neutral: `node:http` and `node:assert/strict` only.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { WebhookResponse } from '../../webhooks/receiver-types.js';

/** What a server answered, headers lower-cased. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request to send: the body whole (with its length), or as chunks (chunked encoding). */
export interface Outgoing {
  body?: string;
  chunks?: string[];
  headers: Record<string, string>;
  /**
   * Send the chunks but never end the body: only a server that stops reading at its limit
   * answers (a server waiting for the end would wait forever).
   */
  holdOpen?: boolean;
}

// Generous: a hang (the classic one: waiting on a stream a parser already read) fails the
// case; a slow, loaded machine does not.
const DEADLINE_MS = 15_000;

/** POSTs to `url` over a fresh connection and reads the whole answer. */
export function post(url: string, outgoing: Outgoing): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...outgoing.headers };
    if (outgoing.body !== undefined) headers['content-length'] = String(Buffer.byteLength(outgoing.body));
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(DEADLINE_MS, () =>
      req.destroy(new Error(`no answer from ${url} within ${DEADLINE_MS} ms`)),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A server may close the socket once it answered 413 without reading the rest: the
      // answer, already received, is what counts.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    for (const chunk of outgoing.chunks ?? []) req.write(chunk);
    if (outgoing.holdOpen) req.flushHeaders();
    else req.end(outgoing.body);
  });
}

/**
 * Asserts that `actual` is exactly `expected`, core's own answer to the same delivery: the
 * status, every header core sets, and the body byte for byte.
 */
export function assertCoreAnswer(actual: HttpAnswer, expected: WebhookResponse, what: string): void {
  assert.equal(actual.status, expected.status, `${what}: status (body ${actual.text})`);
  for (const [name, value] of Object.entries(expected.headers)) {
    assert.equal(actual.headers[name], value, `${what}: the ${name} header`);
  }
  assert.equal(actual.text, expected.body, `${what}: body`);
}

/** The `error.code` of an answer's JSON body, if any. */
export function errorCodeOf(answer: HttpAnswer): string | undefined {
  try {
    return (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

/** A promise with its resolve function, to hold a handler until the test releases it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
