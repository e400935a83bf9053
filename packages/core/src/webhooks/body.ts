/**
 * A delivery's body as `handle()` gets it, in either form (the raw bytes, or an adapter
 * reader's result), turned into the bytes to verify or the one code it is refused with.
 */
import type { WebhookErrorCode } from '../errors.js';
import type { RawBodyResult, WebhookRequest } from './receiver-types.js';
import { isRawBody, type RawBody } from './verifier.js';

/**
 * Why a delivery has no bytes to verify.
 *
 * @example
 * const code: BodyRefusal = 'body_timeout'; // 408
 */
export type BodyRefusal = Extract<
  WebhookErrorCode,
  'body_too_large' | 'body_unreadable' | 'body_timeout' | 'body_already_parsed'
>;

/**
 * A body refused before verification: an object, never bytes, so that a raw body (which may
 * be any string) can never be mistaken for one. One frozen object per code.
 *
 * @example
 * const body = bodyOf(request, limit);
 * if (typeof body === 'object' && !(body instanceof Uint8Array)) return refuse(body.refused);
 */
export interface RefusedBody {
  readonly refused: BodyRefusal;
}

const refused = (code: BodyRefusal): RefusedBody => Object.freeze({ refused: code });
const TOO_LARGE = refused('body_too_large');
const ALREADY_PARSED = refused('body_already_parsed');
const REFUSED: Readonly<Record<Exclude<RawBodyResult['kind'], 'bytes'>, RefusedBody>> = Object.freeze({
  too_large: TOO_LARGE,
  unreadable: refused('body_unreadable'),
  timed_out: refused('body_timeout'),
  consumed: ALREADY_PARSED,
});

/**
 * The bytes of a delivery, or the code it is refused with: a reader's refusal as it came,
 * anything but raw bytes `body_already_parsed`, more than `maxBodyBytes` `body_too_large`
 * (a reader that did not stop at the limit, or an app handing over a large body).
 *
 * @example
 * const body = bodyOf(request, webhooks.maxBodyBytes); // Uint8Array | string, or { refused: 'body_too_large' }, …
 */
export function bodyOf(request: WebhookRequest, maxBodyBytes: number): RawBody | RefusedBody {
  const { read } = request;
  let body: unknown = request.body;
  if (read !== undefined) {
    const kind: unknown = (read as { kind?: unknown } | null)?.kind;
    if (kind !== 'bytes') {
      // Anything but a reader's known refusal is a body nobody can verify.
      return typeof kind === 'string' && Object.hasOwn(REFUSED, kind)
        ? REFUSED[kind as keyof typeof REFUSED]
        : ALREADY_PARSED;
    }
    body = (read as { body: unknown }).body;
  }
  if (!isRawBody(body)) return ALREADY_PARSED;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return size > maxBodyBytes ? TOO_LARGE : body;
}
