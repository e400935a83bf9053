/**
 * Every error the SDK raises is a {@link PasisError} with a literal `code`, so callers
 * branch on `err.code` rather than on message text or subclasses.
 */

/** Codes raised by the checkout client. */
export type ClientErrorCode =
  | 'validation_error'
  | 'invalid_request'
  | 'unknown_app'
  | 'phone_number_not_found'
  | 'unknown_session'
  | 'rate_limited'
  | 'api_error'
  | 'invalid_response'
  | 'unsafe_payment_link'
  | 'connection_error'
  | 'timeout'
  | 'aborted'
  | 'config_error';

/** Codes raised while receiving a webhook; each maps to one HTTP status in core's table. */
export type WebhookErrorCode =
  | 'missing_header'
  | 'malformed_id'
  | 'malformed_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'malformed_signature'
  | 'no_matching_signature'
  | 'invalid_json'
  | 'invalid_event'
  | 'body_too_large'
  | 'body_unreadable'
  | 'body_timeout'
  | 'body_already_parsed'
  | 'handler_failed'
  | 'in_progress'
  | 'store_unavailable'
  | 'unknown_session'
  | 'session_open'
  | 'outcome_mismatch'
  | 'pasis_unavailable'
  | 'confirm_busy';

/** Every code a {@link PasisError} can carry. */
export type PasisErrorCode = ClientErrorCode | WebhookErrorCode;

/** One problem found by validation: where (`path`) and what (`message`). */
export interface PasisIssue {
  path: (string | number)[];
  message: string;
}

/** Extra facts an error may carry; all optional. */
export interface PasisErrorOptions {
  /** HTTP status of the response that caused the error, when there was one. */
  status?: number;
  /** The `Idempotency-Key` sent with the request, so a caller can retry it safely later. */
  idempotencyKey?: string;
  /** How long the server asked us to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  /** Validation problems (zod issues, or the provider's `error.issues`). */
  issues?: PasisIssue[];
  /** The underlying error (network failure, zod error, handler exception). */
  cause?: unknown;
}

// A registry-wide symbol: two copies of this package (ESM and CJS loaded together, or two
// versions in node_modules) share it, where `instanceof` against one class would fail.
const BRAND = Symbol.for('@pasis/core.PasisError');

/**
 * The one error class of the SDK.
 *
 * @example
 * try {
 *   await pasis.checkout.sessions.create(params);
 * } catch (err) {
 *   if (isPasisError(err, 'rate_limited')) retryLater(err.retryAfterMs);
 *   else throw err;
 * }
 */
export class PasisError<C extends PasisErrorCode = PasisErrorCode> extends Error {
  override readonly name = 'PasisError';
  /** What went wrong, as a stable snake_case literal. */
  readonly code: C;
  /** HTTP status of the response, when there was one. */
  readonly status?: number;
  /** The idempotency key of the request that failed, when there was a request. */
  readonly idempotencyKey?: string;
  /** Milliseconds the server asked us to wait before retrying (`rate_limited`, 503). */
  readonly retryAfterMs?: number;
  /** Validation problems, for `validation_error`, `invalid_request` and `invalid_event`. */
  readonly issues?: PasisIssue[];

  constructor(code: C, message: string, options: PasisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    if (options.idempotencyKey !== undefined) this.idempotencyKey = options.idempotencyKey;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.issues !== undefined) this.issues = options.issues;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** `instanceof PasisError` also recognises errors made by another copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isPasisError(value);
  }
}

/**
 * Whether `value` is a {@link PasisError} (from any copy of `@pasis/core`), optionally
 * with one of the given codes.
 *
 * @example
 * if (isPasisError(err, 'timeout', 'connection_error')) scheduleRetry();
 */
export function isPasisError<C extends PasisErrorCode>(
  value: unknown,
  ...codes: C[]
): value is PasisError<C> {
  if (typeof value !== 'object' || value === null || (value as Record<symbol, unknown>)[BRAND] !== true) {
    return false;
  }
  return codes.length === 0 || codes.includes((value as PasisError).code as C);
}
