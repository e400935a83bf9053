import { signWebhook } from '@pasis/core/testing';

/** What one copy of an event came to: the receiver's answer, or the network error's code. */
export type EventAnswer = { status: number; statusText: string; text: string } | { error: string };

/** What {@link sendEvent} sends, and how. */
export interface SendEventOptions {
  /** The receiver's URL. */
  to: string;
  /** The body, sent byte for byte as given. */
  body: string;
  /** The signing secret (`whsec_…`); none sends the body with no `webhook-*` header at all. */
  secret?: string;
  /** `webhook-id`. Default: a fresh `msg_…`. */
  id?: string;
  /** Identical copies sent at the same moment. Default 1. */
  copies?: number;
}

/** What {@link sendEvent} did: the `webhook-id` it signed with (none when unsigned), and each copy's answer. */
export interface SentEvent {
  webhookId?: string;
  answers: EventAnswer[];
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<EventAnswer> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers, redirect: 'manual' });
    return { status: res.status, statusText: res.statusText, text: await res.text() };
  } catch (error) {
    return { error: (error as { cause?: { code?: string } }).cause?.code ?? String(error) };
  }
}

/**
 * Sends an event to a receiver the way `pasis trigger` does: signed once (Standard Webhooks,
 * through `@pasis/core/testing`), so every copy carries the same id, timestamp and signature,
 * as a real duplicate would; or unsigned without a secret. Never throws for the receiver's
 * sake: a network error is an answer.
 *
 * @example
 * const { answers } = await sendEvent({ to: 'http://127.0.0.1:3000/webhook', body, secret });
 */
export async function sendEvent(options: SendEventOptions): Promise<SentEvent> {
  const signed =
    options.secret === undefined
      ? undefined
      : signWebhook(options.body, { secret: options.secret, ...(options.id ? { id: options.id } : {}) });
  const headers = signed?.headers ?? { 'content-type': 'application/json' };
  const copies = options.copies ?? 1;
  const answers = await Promise.all(
    Array.from({ length: copies }, () => post(options.to, options.body, headers)),
  );
  return { webhookId: signed?.headers['webhook-id'], answers };
}

/**
 * Whether the receiver took the event: one copy 2xx and, when several were sent, the others
 * 2xx or 409 (a receiver's "a copy is in progress"). `pasis trigger`'s exit code.
 *
 * @example
 * accepted([{ status: 200, … }, { status: 409, … }]); // true
 */
export function accepted(answers: EventAnswer[]): boolean {
  const statuses = answers.map((a) => ('status' in a ? a.status : 0));
  const ok = (s: number) => s >= 200 && s < 300;
  return statuses.some(ok) && statuses.every((s) => ok(s) || (answers.length > 1 && s === 409));
}
