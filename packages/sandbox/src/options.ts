import { configError } from './config-error.js';
import { DEFAULT_RETRY_SCHEDULE } from './deliveries/engine.js';
import { checkWaitMs } from './durations.js';
import { invalidHostEntries } from './guard/hosts.js';
import { type SandboxLogger, silentSandboxLogger } from './logger.js';
import {
  DEFAULT_APPROVAL_WINDOW_MS,
  DEFAULT_WEBHOOK_DELAY_MS,
  WEBHOOK_BEHAVIOURS,
  type WebhookBehaviour,
} from './model.js';

/** Options of `createSandbox`. */
export interface SandboxOptions {
  /**
   * Milliseconds to wait before each retry of a failed delivery; `[]` never retries.
   * Default 5 s, 30 s, 2 min, 10 min, 30 min, 1 h. (The CLI takes `--retry-schedule 1s,5s,30s`.)
   */
  retrySchedule?: readonly number[];
  /** Per-attempt timeout of a webhook delivery. Default 10,000 ms. */
  deliveryTimeoutMs?: number;
  /** One line per request and per delivery attempt. Default: silent. */
  logger?: SandboxLogger;
  /**
   * Where apps, sessions, deliveries and attempts are kept (`<dataDir>/snapshot.jsonl` and
   * `log.jsonl`, owner-only), so a restart forgets nothing and pending retries resume. One
   * sandbox at a time per data dir. Default: none, in memory.
   */
  dataDir?: string;
  /** The webhook behaviour of a session completed without a choice. Default `deliver`. */
  webhook?: WebhookBehaviour;
  /** The wait of the `delay` behaviour when a request names none. Default 30,000 ms. */
  webhookDelayMs?: number;
  /**
   * More `Host` names the sandbox answers to, `name` (any port) or `name:port`, beside its
   * own (a loopback name with its port, or the host it binds): e.g. `['sandbox']` for a
   * container reached as `http://sandbox:4010`. Any other `Host` is refused with 421
   * (DNS rebinding). Default: none. (The CLI takes `--allowed-host`.)
   */
  allowedHosts?: readonly string[];
  /**
   * How long the phone of a payer who never answers (`0780000003`) shows the prompt before
   * the session ends `cancelled`. Default 300,000 ms (5 minutes); at most 24 h. A `complete`
   * body's `approval_window_ms` overrides it. (The CLI takes `--approval-window 2s`.)
   */
  approvalWindowMs?: number;
  /**
   * At most this many requests per second per app on `/api/checkouts/*` (initiate and
   * retrieve together); beyond it, `429 rate_limited` with `Retry-After`. Default: no limit.
   * (The CLI takes `--rate-limit 20`.)
   */
  rateLimit?: number;
  /**
   * The base URL browsers and shops are given (payment links, `sandbox.url`), when it is not
   * the address the sandbox binds: e.g. `http://localhost:4010` for a container bound to
   * `0.0.0.0` behind a published port. Its host is allowed as a `Host` too. Default: the
   * bound address and port. (The CLI takes `--public-url`.)
   */
  publicUrl?: string;
}

/** {@link SandboxOptions} checked, with every default filled in. */
export interface ResolvedOptions {
  retrySchedule: readonly number[];
  deliveryTimeoutMs: number;
  logger: SandboxLogger;
  dataDir: string | undefined;
  webhook: WebhookBehaviour;
  webhookDelayMs: number;
  allowedHosts: readonly string[];
  approvalWindowMs: number;
  rateLimit: number | undefined;
  publicUrl: string | undefined;
}

/**
 * Checks a public URL: an http(s) origin only (payment links are `${publicUrl}/pay/…`);
 * anything else is a `config_error` naming `what`. Returns the origin.
 *
 * @example
 * checkPublicUrl('http://localhost:4010/', '--public-url'); // 'http://localhost:4010'
 */
export function checkPublicUrl(value: unknown, what = 'publicUrl'): string | undefined {
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(String(value));
  } catch {}
  if (
    !url ||
    !/^https?:$/.test(url.protocol) ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username
  ) {
    throw configError(
      `${what} must be an http(s) origin with no path, e.g. http://localhost:4010, not ${JSON.stringify(value)}.`,
    );
  }
  return url.origin;
}

/**
 * Checks the options once, at construction: a mistake is a `config_error` naming the option.
 *
 * @example
 * resolveOptions({ retrySchedule: [50, 100] }).webhook; // 'deliver'
 */
export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw configError('options must be an object.');
  const schedule = options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE;
  if (!Array.isArray(schedule)) throw configError('retrySchedule must be an array of milliseconds.');
  for (const [i, ms] of schedule.entries()) checkWaitMs(ms, `retrySchedule[${i}]`);
  const timeout = options.deliveryTimeoutMs ?? 10_000;
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw configError('deliveryTimeoutMs must be a positive whole number of milliseconds.');
  }
  const webhook = options.webhook ?? 'deliver';
  if (!WEBHOOK_BEHAVIOURS.includes(webhook)) {
    throw configError(`webhook must be one of ${WEBHOOK_BEHAVIOURS.join(', ')}, not "${String(webhook)}".`);
  }
  const logger = options.logger ?? silentSandboxLogger;
  if (['info', 'warn', 'error'].some((level) => typeof (logger as never)[level] !== 'function')) {
    throw configError('logger must have info, warn and error methods.');
  }
  if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir === '')) {
    throw configError('dataDir must be a non-empty path.');
  }
  const { rateLimit } = options;
  if (rateLimit !== undefined && (!Number.isInteger(rateLimit) || rateLimit < 1)) {
    throw configError(
      'rateLimit must be a whole number of requests per second, at least 1 (leave it out for no limit).',
    );
  }
  const allowedHosts = options.allowedHosts ?? [];
  if (!Array.isArray(allowedHosts)) throw configError('allowedHosts must be an array of host names.');
  const badHosts = invalidHostEntries(allowedHosts);
  if (badHosts.length > 0) {
    throw configError(
      `allowedHosts: ${badHosts.map((h) => JSON.stringify(h)).join(', ')} is not a host; write a name or address, optionally with :port (e.g. sandbox or sandbox:4010).`,
    );
  }
  return {
    publicUrl: checkPublicUrl(options.publicUrl),
    allowedHosts: [...allowedHosts],
    rateLimit,
    retrySchedule: [...schedule],
    deliveryTimeoutMs: timeout,
    logger,
    dataDir: options.dataDir,
    webhook,
    webhookDelayMs: checkWaitMs(options.webhookDelayMs ?? DEFAULT_WEBHOOK_DELAY_MS, 'webhookDelayMs'),
    approvalWindowMs: checkWaitMs(options.approvalWindowMs ?? DEFAULT_APPROVAL_WINDOW_MS, 'approvalWindowMs'),
  };
}
