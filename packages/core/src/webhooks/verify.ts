import { CORE_PACKAGE, configError } from '../config.js';
import { PasisError, type WebhookErrorCode } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPlainObject } from '../util/is-plain-object.js';
import {
  type HeaderSource,
  NOT_TEXT,
  readHeader,
  WEBHOOK_ID,
  WEBHOOK_SIGNATURE,
  WEBHOOK_TIMESTAMP,
} from './headers.js';
import { resolveClock, resolveSecrets, resolveTolerance } from './options.js';
import { checkSignatureHeader, computeSignature } from './signature.js';

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

// verifyWebhook is called per request with the same secret(s): decoding and validating them
// each time measurably slowed the hot path, so the last few are kept (bounded, never logged).
type Verifier = ReturnType<typeof createVerifier>;
const verifierCache = new Map<string, Verifier>();
const VERIFIER_CACHE_SIZE = 16;
// The last one used, found by identity: a server passes the same secret string every call,
// and comparing it costs less than building and hashing the cache key.
let last: { secret: unknown; toleranceSec: unknown; verifier: Verifier } | undefined;

function cachedVerifier(options: VerifyWebhookOptions): Verifier {
  const { secret, secrets, toleranceSec, now } = options;
  if (
    last !== undefined &&
    secrets === undefined &&
    now === undefined &&
    secret === last.secret &&
    toleranceSec === last.toleranceSec
  ) {
    return last.verifier;
  }
  if (now !== undefined) {
    return createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec), resolveClock(now));
  }
  // Only well-typed options are cached (a join of anything else could collide).
  const cacheable =
    (secret === undefined || typeof secret === 'string') &&
    (secrets === undefined || (Array.isArray(secrets) && secrets.every((s) => typeof s === 'string'))) &&
    (toleranceSec === undefined || typeof toleranceSec === 'number');
  if (!cacheable) return createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec));
  const cacheKey = `${toleranceSec ?? ''} ${secret ?? ''} ${secrets?.join(' ') ?? ''}`;
  let verifier = verifierCache.get(cacheKey);
  if (verifier === undefined) {
    verifier = createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec));
    if (verifierCache.size >= VERIFIER_CACHE_SIZE)
      verifierCache.delete(verifierCache.keys().next().value as string);
    verifierCache.set(cacheKey, verifier);
  }
  if (secrets === undefined) last = { secret, toleranceSec, verifier };
  return verifier;
}

/** Stripe's wording for the most common mistake, because it says everything needed. */
const PARSED_BODY_MESSAGE =
  'The webhook body must be the raw request body, as a string, Buffer or Uint8Array. It was given as ' +
  'a parsed JavaScript value instead (a JSON body parser ran first), and a signature cannot be ' +
  'checked without the exact bytes that were signed. Read the raw body instead: in Express, ' +
  "express.raw({ type: '*/*' }) on the webhook route or pasisWebhook() before express.json(); " +
  'in a Fetch handler, await request.arrayBuffer().';

/**
 * Verifies a webhook delivery over its raw bytes and returns the parsed, validated event.
 * Throws only `PasisError`s: a webhook code (`missing_header`, `no_matching_signature`,
 * `invalid_json`, `body_already_parsed` for a parsed body, …) for the delivery, or a
 * `config_error` for a missing or malformed secret or tolerance.
 *
 * @example
 * app.post('/webhook', express.raw({ type: '*\/*' }), (req, res) => {
 *   const event = verifyWebhook({ body: req.body, headers: req.headers, secret: process.env.PASIS_WEBHOOK_SECRET });
 *   if (event.kind === 'session:processed') markOrder(event.session_id, event.status);
 *   res.sendStatus(200);
 * });
 */
export function verifyWebhook(options: VerifyWebhookOptions): PasisEvent | UnknownPasisEvent {
  if (!isPlainObject(options)) {
    throw configError(CORE_PACKAGE, 'verifyWebhook takes one options object: { body, headers, secret }.');
  }
  const verify = cachedVerifier(options);
  if (!isRawBody(options.body)) throw new PasisError('body_already_parsed', PARSED_BODY_MESSAGE);
  return verify(options.body, options.headers).event;
}
