import { createHash } from 'node:crypto';

/** The longest key stored as it is, in UTF-8 bytes; longer ones are stored as a hash. */
export const MAX_KEY_BYTES = 255;

/**
 * The key as stored: itself when it fits the column (255 UTF-8 bytes, what a MySQL index on
 * `VARBINARY(255)` takes), else `sha256:` and its hash. Core's keys start with
 * `session:processed/` or `delivery/`, so a stored hash can never equal a key kept as it is.
 *
 * @example
 * storedKey('session:processed/sess_1/success'); // unchanged
 */
export function storedKey(key: string): string {
  if (Buffer.byteLength(key, 'utf8') <= MAX_KEY_BYTES) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('base64url')}`;
}
