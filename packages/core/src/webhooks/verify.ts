import { PasisError } from '../errors.js';
import { decodeBody, parseEvent } from '../events/parse.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import {
  type HeaderSource,
  readHeader,
  WEBHOOK_ID,
  WEBHOOK_SIGNATURE,
  WEBHOOK_TIMESTAMP,
} from './headers.js';
import { decodeWebhookSecret } from './secret.js';
import { checkSignatureHeader, computeSignature } from './signature.js';

/** Default allowed clock difference between sender and receiver, both ways (CONTRACT §3). */
export const DEFAULT_TOLERANCE_SEC = 300;

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

/** Validates a tolerance option: a finite, non-negative number of seconds. */
export function checkTolerance(toleranceSec: number | undefined): number {
  const value = toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new PasisError(
      'config_error',
      `toleranceSec must be a non-negative number of seconds, got ${value}.`,
    );
  }
  return value;
}

/** Decodes every configured secret once; at least one is required. */
export function decodeSecrets(secret: string | undefined, secrets: readonly string[] | undefined): Buffer[] {
  const all = [...(secret === undefined ? [] : [secret]), ...(secrets ?? [])];
  if (all.length === 0)
    throw new PasisError('config_error', 'A webhook secret is required (secret or secrets).');
  return all.map((s, i) =>
    decodeWebhookSecret(s, all.length > 1 ? `webhook secret #${i + 1}` : 'webhook secret'),
  );
}

function requireHeader(headers: HeaderSource, name: string): string {
  const value = readHeader(headers, name);
  if (value === undefined || !NOT_BLANK.test(value)) {
    throw new PasisError('missing_header', `The ${name} header is missing.`);
  }
  return value;
}

/**
 * Reads and checks the id and timestamp headers (shared by signed and unsigned receiving).
 * Throws `missing_header`, `malformed_timestamp` or `missing_header` for a malformed id.
 */
export function readDeliveryHeaders(headers: HeaderSource): {
  id: string;
  timestampText: string;
  timestamp: number;
} {
  const id = requireHeader(headers, WEBHOOK_ID);
  if (!ID_PATTERN.test(id)) throw new PasisError('missing_header', 'The webhook-id header is malformed.');
  const timestampText = requireHeader(headers, WEBHOOK_TIMESTAMP);
  if (!TIMESTAMP_PATTERN.test(timestampText)) {
    throw new PasisError(
      'malformed_timestamp',
      'The webhook-timestamp header must be Unix seconds in plain digits.',
    );
  }
  return { id, timestampText, timestamp: Number(timestampText) };
}

/**
 * Builds a verifier with its keys decoded once. The handler keeps one; `verifyWebhook`
 * makes one per call.
 */
export function createVerifier(keys: readonly Buffer[], toleranceSec: number, now: () => number = Date.now) {
  return function verify(body: RawBody, headers: HeaderSource): VerifiedDelivery {
    const { id, timestampText, timestamp } = readDeliveryHeaders(headers);
    const signatureHeader = requireHeader(headers, WEBHOOK_SIGNATURE);
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
    const expected = keys.map((key) => computeSignature(key, id, timestampText, body));
    const check = checkSignatureHeader(signatureHeader, expected);
    if (check === 'malformed') {
      throw new PasisError(
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

function cachedVerifier(options: VerifyWebhookOptions): Verifier {
  const { secret, secrets, toleranceSec, now } = options;
  if (now !== undefined)
    return createVerifier(decodeSecrets(secret, secrets), checkTolerance(toleranceSec), now);
  const cacheKey = `${toleranceSec ?? ''} ${secret ?? ''} ${secrets?.join(' ') ?? ''}`;
  let verifier = verifierCache.get(cacheKey);
  if (verifier === undefined) {
    verifier = createVerifier(decodeSecrets(secret, secrets), checkTolerance(toleranceSec));
    if (verifierCache.size >= VERIFIER_CACHE_SIZE)
      verifierCache.delete(verifierCache.keys().next().value as string);
    verifierCache.set(cacheKey, verifier);
  }
  return verifier;
}

/**
 * Verifies a webhook delivery over its raw bytes and returns the parsed, validated event.
 * Throws a `PasisError` with a webhook code (`missing_header`, `no_matching_signature`,
 * `invalid_json`, …) or a `config_error` for a malformed secret or tolerance.
 *
 * @example
 * app.post('/webhook', express.raw({ type: '*\/*' }), (req, res) => {
 *   const event = verifyWebhook({ body: req.body, headers: req.headers, secret: process.env.PASIS_WEBHOOK_SECRET });
 *   if (event.kind === 'session:processed') markOrder(event.session_id, event.status);
 *   res.sendStatus(200);
 * });
 */
export function verifyWebhook(options: VerifyWebhookOptions): PasisEvent | UnknownPasisEvent {
  return cachedVerifier(options)(options.body, options.headers).event;
}
