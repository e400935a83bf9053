import { PasisError, type WebhookErrorCode } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import {
  type HeaderSource,
  NOT_TEXT,
  readHeader,
  WEBHOOK_ID,
  WEBHOOK_SIGNATURE,
  WEBHOOK_TIMESTAMP,
} from './headers.js';
import { checkSignatureHeader, computeSignature } from './signature.js';

// The verifier itself: the headers' formats, the tolerance, the signature, then the event.
// What `createWebhookHandler` keeps one of, and `verifyWebhook` finds in its cache.

// Visible ASCII only: the id is part of the signed text and of the dedupe key.
const ID_PATTERN = /^[\x21-\x7e]{1,256}$/;
// Plain digits only (no sign, exponent or suffix), and few enough to be a real time.
const TIMESTAMP_PATTERN = /^[0-9]{1,12}$/;
const NOT_BLANK = /\S/;

/** The raw bytes of a webhook body, as received. */
export type RawBody = Uint8Array | string;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The raw body exactly as received: never a re-serialised object. */
  body: RawBody;
  /** Node's `req.headers`, a plain object in any case, or a Fetch `Headers`. */
  headers: HeaderSource;
  /** The endpoint's `whsec_…` secret. */
  secret?: string;
  /** Several secrets during a rotation; a delivery signed with any of them verifies. */
  secrets?: readonly string[];
  /** Allowed clock difference in seconds, both ways. Default 300. */
  toleranceSec?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** A verified delivery: the event and the headers that identify it. */
export interface VerifiedDelivery {
  event: PasisEvent | UnknownPasisEvent;
  id: string;
  timestamp: number;
}

/** Whether a body is raw bytes (or text) as received, rather than something a parser made. */
export function isRawBody(body: unknown): body is RawBody {
  return typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * Reads one required header: absent is `missing_header`; present but not text (a number, a
 * Buffer, an object in a hand-built header object) is the header's own `malformed` code.
 * Blank is `missing_header` too, but that is told apart only once the value fails its
 * format ({@link malformed}): the hot path runs no regular expression it does not need.
 */
function requireHeader(headers: unknown, name: string, malformed: WebhookErrorCode): string {
  const value = readHeader(headers, name);
  if (value === NOT_TEXT) throw new PasisError(malformed, `The ${name} header is not text.`);
  if (value === undefined) throw new PasisError('missing_header', `The ${name} header is missing.`);
  return value;
}

/** The error for a header value that fails its format: `missing_header` when it is blank. */
function malformed(name: string, value: string, code: WebhookErrorCode, message: string): PasisError {
  return NOT_BLANK.test(value)
    ? new PasisError(code, message)
    : new PasisError('missing_header', `The ${name} header is missing.`);
}

/**
 * Reads and checks the id and timestamp headers (shared by signed and unsigned receiving).
 * Throws `missing_header`, `malformed_id` or `malformed_timestamp`.
 */
export function readDeliveryHeaders(headers: unknown): {
  id: string;
  timestampText: string;
  timestamp: number;
} {
  const id = requireHeader(headers, WEBHOOK_ID, 'malformed_id');
  if (!ID_PATTERN.test(id)) {
    throw malformed(
      WEBHOOK_ID,
      id,
      'malformed_id',
      'The webhook-id header must be 1 to 256 visible ASCII characters.',
    );
  }
  const timestampText = requireHeader(headers, WEBHOOK_TIMESTAMP, 'malformed_timestamp');
  if (!TIMESTAMP_PATTERN.test(timestampText)) {
    throw malformed(
      WEBHOOK_TIMESTAMP,
      timestampText,
      'malformed_timestamp',
      'The webhook-timestamp header must be Unix seconds in plain digits.',
    );
  }
  return { id, timestampText, timestamp: Number(timestampText) };
}

/**
 * The `webhook-id` a delivery claims, when it is well formed, else `undefined`: for the logs
 * and the span of a delivery rejected before (or by) verification. Unverified, but bounded
 * to what a real id looks like.
 *
 * @example
 * claimedDeliveryId({ 'webhook-id': 'msg_1' }); // 'msg_1'; a malformed id: undefined
 */
export function claimedDeliveryId(headers: unknown): string | undefined {
  const id = readHeader(headers, WEBHOOK_ID);
  return typeof id === 'string' && ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Builds a verifier with its keys decoded once. The handler keeps one; `verifyWebhook`
 * makes one per call.
 */
export function createVerifier(keys: readonly Buffer[], toleranceSec: number, now: () => number = Date.now) {
  // One secret is the common case: its digest is computed without a closure per call.
  // (A KeyObject instead of the Buffer measured ~0.8 µs slower per HMAC on Node 20.)
  const single = keys.length === 1 ? keys[0] : undefined;
  return function verify(body: RawBody, headers: unknown): VerifiedDelivery {
    const { id, timestampText, timestamp } = readDeliveryHeaders(headers);
    const signatureHeader = requireHeader(headers, WEBHOOK_SIGNATURE, 'malformed_signature');
    const nowSec = Math.floor(now() / 1000);
    if (timestamp < nowSec - toleranceSec) {
      throw new PasisError('timestamp_too_old', 'The webhook timestamp is too old (outside the tolerance).');
    }
    if (timestamp > nowSec + toleranceSec) {
      throw new PasisError(
        'timestamp_too_new',
        'The webhook timestamp is in the future (outside the tolerance).',
      );
    }
    const expected =
      single !== undefined
        ? computeSignature(single, id, timestampText, body)
        : keys.map((key) => computeSignature(key, id, timestampText, body));
    const check = checkSignatureHeader(signatureHeader, expected);
    if (check === 'malformed') {
      throw malformed(
        WEBHOOK_SIGNATURE,
        signatureHeader,
        'malformed_signature',
        'The webhook-signature header has no well-formed v1 entry.',
      );
    }
    if (check === 'no_match') {
      throw new PasisError('no_matching_signature', 'No webhook signature matches the body and the secret.');
    }
    return { event: parseEvent(decodeBody(body)), id, timestamp };
  };
}
