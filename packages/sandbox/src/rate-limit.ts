import { HttpError } from './http.js';

const WINDOW_MS = 1000;

/** What the dashboard and `GET /_sandbox/rate-limit` show: the limit and the refusals so far. */
export interface RateLimitSummary {
  /** Requests per second per app on `/api/checkouts/*`, or `null` for no limit. */
  limit: number | null;
  /** Requests answered 429 since the sandbox started. */
  refused: number;
  /** The same, per `app_id` (apps with none are left out). */
  refused_by_app: Record<string, number>;
}

/**
 * At most `limit` requests per second per app on the provider's endpoints (CONTRACT §4
 * "Rate limit"): a sliding window of the last second's accepted requests, so no second ever
 * holds more than `limit`. A refusal is a 429 `rate_limited`; its `Retry-After` is 1 (the
 * oldest accepted request leaves the window within a second). Counts live in memory: the
 * limit is a setting of this run, not data.
 *
 * @example
 * const limiter = new RateLimiter(20);
 * limiter.take('app_1'); // throws HttpError 429 on the 21st call within a second
 */
export class RateLimiter {
  readonly #accepted = new Map<string, number[]>();
  readonly #refused = new Map<string, number>();

  /** `limit` undefined: no limit, nothing is counted. */
  constructor(readonly limit: number | undefined) {}

  /** Counts one request of `appId`, or throws the 429 when its second is full. */
  take(appId: string): void {
    if (this.limit === undefined) return;
    const now = Date.now();
    const recent = (this.#accepted.get(appId) ?? []).filter((at) => at > now - WINDOW_MS);
    if (recent.length >= this.limit) {
      this.#accepted.set(appId, recent);
      this.#refused.set(appId, (this.#refused.get(appId) ?? 0) + 1);
      throw new HttpError(
        429,
        'rate_limited',
        `More than ${this.limit} requests in one second for app ${appId}: retry after the Retry-After header's seconds.`,
      );
    }
    recent.push(now);
    this.#accepted.set(appId, recent);
  }

  /** The limit and every refusal so far. */
  summary(): RateLimitSummary {
    const byApp = Object.fromEntries(this.#refused);
    return {
      limit: this.limit ?? null,
      refused: Object.values(byApp).reduce((sum, n) => sum + n, 0),
      refused_by_app: byApp,
    };
  }
}
