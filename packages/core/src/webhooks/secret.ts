import { randomBytes } from 'node:crypto';
import { CORE_PACKAGE, configError } from '../config.js';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The shortest key we accept: 24 bytes (192 bits), as Standard Webhooks recommends. */
export const MIN_SECRET_BYTES = 24;

/**
 * Decodes a `whsec_<base64>` secret into its HMAC key. Throws a `config_error` that never
 * contains the secret itself.
 */
export function decodeWebhookSecret(
  secret: unknown,
  label = 'webhook secret',
  packageName = CORE_PACKAGE,
): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(PREFIX)) {
    throw configError(packageName, `The ${label} must be a string of the form whsec_<base64 key>.`);
  }
  const encoded = secret.slice(PREFIX.length);
  if (encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw configError(packageName, `The ${label} is not valid base64 after the whsec_ prefix.`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES) {
    throw configError(
      packageName,
      `The ${label} is too short: at least ${MIN_SECRET_BYTES} bytes of key are required.`,
    );
  }
  return key;
}

/**
 * A fresh random secret in the `whsec_` format (32 random bytes).
 *
 * @example
 * const secret = generateWebhookSecret(); // 'whsec_3q2+7w...'
 */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/**
 * Masks a secret for display: the prefix and the last four characters only.
 *
 * @example
 * maskWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // 'whsec_…LaSw'

 */
export function maskWebhookSecret(secret: string): string {
  return `${PREFIX}…${secret.slice(-4)}`;
}
