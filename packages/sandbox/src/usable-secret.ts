import { signWebhook } from '@pasis/core/testing';
import { HttpError } from './http.js';

/**
 * Fails fast on a malformed secret rather than on the first delivery, with the very check
 * that signing (and every receiver) applies: a 400 `invalid_request` naming `webhook_secret`.
 *
 * @example
 * assertUsableSecret('whsec_short'); // throws HttpError 400
 */
export function assertUsableSecret(secret: string): void {
  try {
    signWebhook('', { secret });
  } catch {
    throw new HttpError(
      400,
      'invalid_request',
      'webhook_secret must be whsec_ followed by at least 24 bytes of base64.',
      {
        issues: [{ path: ['webhook_secret'], message: 'must be whsec_<base64 of at least 24 bytes>' }],
      },
    );
  }
}
