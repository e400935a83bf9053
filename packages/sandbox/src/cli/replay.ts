import type { DeliveryAttempt, SandboxDelivery } from '../model.js';
import { UsageError } from './errors.js';

/** Where `pasis trigger --replay` finds the sandbox unless told: `pasis sandbox`'s default. */
export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

/** What a redelivery is asked for: `pasis trigger --replay`'s flags, `pasis mcp`'s `redeliver`. */
export interface RedeliverOptions {
  /** The sandbox's base URL. */
  sandbox: string;
  deliveryId: string;
  /** Send as a fresh delivery under a new `webhook-id`, rather than the same one again. */
  newId: boolean;
  /** How long to wait for the receiver's answer; 0 does not wait. */
  waitMs: number;
}

/** What `pasis trigger --replay` was given. */
export interface ReplayOptions extends RedeliverOptions {
  out: (text: string) => void;
}

/** A redelivery: the delivery sent (the original, or with `newId` a new one), and the receiver's answer if it came in time. */
export interface Redelivery {
  sent: SandboxDelivery;
  attempt?: DeliveryAttempt;
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, headers: { accept: 'application/json', ...init?.headers } });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new UsageError(
      `no sandbox answers at ${new URL(url).origin} (${code}): start one with \`pasis sandbox\`, or pass --sandbox <url>`,
    );
  }
}

function describe(attempt: DeliveryAttempt): string {
  const answer =
    attempt.status_code !== undefined ? `${attempt.status_code}` : `network error ${attempt.error}`;
  const body = attempt.response?.body
    ? `\n${attempt.response.body}${attempt.response.body_truncated ? '\n(first 4 KiB)' : ''}`
    : '';
  return `attempt #${attempt.attempt} → ${answer} in ${attempt.duration_ms} ms${body}\n`;
}

/**
 * Asks a running sandbox, through its control API, to redeliver (the same `webhook-id`, or
 * with `newId` a fresh one), then polls the delivery until the receiver's answer to that
 * attempt is recorded, for at most `waitMs`. `onSent` hears of the delivery as soon as it is
 * sent. A sandbox that does not answer, an unknown delivery or a refusal is a `UsageError`.
 *
 * @example
 * const { attempt } = await redeliver({ sandbox: 'http://127.0.0.1:4010', deliveryId, newId: false, waitMs: 15_000 });
 * attempt?.status_code; // 200
 */
export async function redeliver(
  options: RedeliverOptions,
  onSent: (sent: SandboxDelivery) => void = () => {},
): Promise<Redelivery> {
  const base = options.sandbox.replace(/\/+$/, '');
  const path = `${base}/_sandbox/deliveries/${encodeURIComponent(options.deliveryId)}`;
  const before = await call(path);
  if (before.status === 404)
    throw new UsageError(`the sandbox at ${base} has no delivery ${options.deliveryId}`);
  const known = ((await before.json()) as SandboxDelivery).attempts.reduce(
    (max, a) => Math.max(max, a.attempt),
    0,
  );
  const res = await call(`${path}/redeliver`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ new_id: options.newId }),
  });
  if (res.status !== 202)
    throw new UsageError(`the sandbox refused the redelivery: ${res.status} ${await res.text()}`);
  const sent = (await res.json()) as SandboxDelivery;
  onSent(sent);
  if (options.waitMs === 0) return { sent };
  const after = sent.id === options.deliveryId ? known : 0;
  const deadline = Date.now() + options.waitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = (await (
      await call(`${base}/_sandbox/deliveries/${encodeURIComponent(sent.id)}`)
    ).json()) as SandboxDelivery;
    const attempt = now.attempts.find((a) => a.reason === 'redeliver' && a.attempt > after);
    if (attempt) return { sent, attempt };
  }
  return { sent };
}

/**
 * `pasis trigger --replay <delivery_id>`: {@link redeliver}, printing the delivery sent and
 * then the receiver's answer. Exits 0 when it is 2xx.
 */
export async function replay(options: ReplayOptions): Promise<number> {
  const { sent, attempt } = await redeliver(options, (sent) =>
    options.out(
      `Redelivering ${options.deliveryId}${sent.id === options.deliveryId ? '' : ` as ${sent.id}`} (webhook-id ${sent.webhook_id}) to ${sent.url}\n`,
    ),
  );
  if (options.waitMs === 0) return 0;
  if (attempt) {
    options.out(describe(attempt));
    return attempt.status_code !== undefined && attempt.status_code >= 200 && attempt.status_code < 300
      ? 0
      : 1;
  }
  const base = options.sandbox.replace(/\/+$/, '');
  options.out(`no answer within ${options.waitMs} ms; see ${base}/deliveries/${sent.id}\n`);
  return 1;
}
