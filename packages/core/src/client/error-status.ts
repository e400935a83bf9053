import { isPasisError, type PasisError } from '../errors.js';

/**
 * The HTTP status a server should answer ITS caller with when creating (or retrieving) a
 * checkout session failed: the customer's input (4xx) versus Pasis or the merchant's setup
 * (5xx). Adapters' checkout helpers and the example shops use it, so they agree.
 *
 * | code | status |
 * | --- | --- |
 * | `validation_error`, `invalid_request` | 400 |
 * | `unknown_session` (a retrieve: no such session for this app) | 404 |
 * | `phone_number_not_found` | 422 |
 * | `rate_limited` | 503 (with `retryAfterMs`) |
 * | `timeout` | 504 |
 * | `aborted` | 499 |
 * | `unknown_app`, `config_error` (merchant setup), `api_error`, `invalid_response`, `unsafe_payment_link`, `connection_error` | 502 |
 *
 * @example
 * catch (err) { if (isPasisError(err)) res.status(checkoutErrorStatus(err)).json({ error: { code: err.code, message: err.message } }); }
 */
export function checkoutErrorStatus(error: PasisError): number {
  if (!isPasisError(error)) return 500;
  switch (error.code) {
    case 'validation_error':
    case 'invalid_request':
      return 400;
    case 'unknown_session':
      return 404;
    case 'phone_number_not_found':
      return 422;
    case 'rate_limited':
      return 503;
    case 'timeout':
      return 504;
    case 'aborted':
      return 499;
    default:
      return 502;
  }
}
