import { CORE_PACKAGE, configError } from '../config.js';
import { PasisError } from '../errors.js';
import type { PasisEvent, UnknownPasisEvent } from '../events/types.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { isRawBody, type VerifyWebhookOptions } from './verifier.js';
import { cachedVerifier } from './verifier-cache.js';

export type { RawBody, VerifyWebhookOptions } from './verifier.js';

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
