/** Signing a payload exactly as Pasis (and `@pasis/sandbox`) would deliver it. */
import { randomBytes } from 'node:crypto';
import { decodeWebhookSecret } from '../../webhooks/secret.js';
import { computeSignature } from '../../webhooks/signature.js';

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The `whsec_…` secret to sign with. */
  secret: string;
  /** The `webhook-id`. Default: a fresh `msg_…` id. */
  id?: string;
  /** Unix seconds (or a `Date`). Default: now. */
  timestamp?: number | Date;
}

/** A signed delivery: the exact body and the headers (lower-case names) to send with it. */
export interface SignedWebhook {
  body: string;
  headers: {
    'content-type': 'application/json';
    'webhook-id': string;
    'webhook-timestamp': string;
    'webhook-signature': string;
  };
}

/** A fresh delivery id in the Standard Webhooks style. */
export function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * Signs a payload as a Pasis delivery. A string is signed and sent byte for byte as given;
 * an object is `JSON.stringify`-ed first.
 *
 * @example
 * const { body, headers } = signWebhook(
 *   { kind: 'session:processed', session_id: 'sess_1', amount: 5000, status: 'success' },
 *   { secret: process.env.PASIS_WEBHOOK_SECRET! },
 * );
 * await fetch('http://127.0.0.1:3000/webhook', { method: 'POST', body, headers });
 */
export function signWebhook(payload: string | object, options: SignWebhookOptions): SignedWebhook {
  const key = decodeWebhookSecret(options.secret);
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const id = options.id ?? newWebhookId();
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const timestamp = String(ts instanceof Date ? Math.floor(ts.getTime() / 1000) : ts);
  const signature = computeSignature(key, id, timestamp, body).toString('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}
