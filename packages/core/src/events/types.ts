/**
 * The events Pasis sends to a callback URL (CONTRACT §3). Unknown fields are kept on the
 * object, so a handler can read a field the provider adds before the SDK types it.
 */

/** Where an event came from: a webhook delivery, or the reconciler asking Pasis (§1b). */
export type EventSource = 'webhook' | 'reconcile';

/** How a checkout session ended. */
export type SessionStatus = 'success' | 'cancelled';

/**
 * Sent when the customer finished on the hosted page.
 *
 * @example
 * { kind: 'session:processed', session_id: 'sess_12345', amount: 5000, status: 'success' }
 */
export interface SessionProcessedEvent {
  kind: 'session:processed';
  session_id: string;
  /** Total in RWF (no minor unit). */
  amount: number;
  status: SessionStatus;
  [field: string]: unknown;
}

/**
 * Sent when a session was created (same fields as the create response).
 *
 * @example
 * { kind: 'session:created', session_id: 'sess_12345', amount: 5000 }
 */
export interface SessionCreatedEvent {
  kind: 'session:created';
  session_id: string;
  amount: number;
  payment_link?: string;
  created_at?: string;
  [field: string]: unknown;
}

/** Every event kind the SDK knows, discriminated by `kind`. */
export type PasisEvent = SessionProcessedEvent | SessionCreatedEvent;

/** `'session:processed' | 'session:created'`. */
export type PasisEventKind = PasisEvent['kind'];

/**
 * The event type of one kind.
 *
 * @example
 * const onPaid = (event: PasisEventOf<'session:processed'>) => event.status; // 'success' | 'cancelled'
 */
export type PasisEventOf<K extends PasisEventKind> = Extract<PasisEvent, { kind: K }>;

/**
 * An event whose `kind` this version of the SDK does not know. Receivers answer it 200
 * (after `onUnknownEvent`), so the provider can add kinds without breaking anyone.
 */
export interface UnknownPasisEvent {
  kind: string;
  [field: string]: unknown;
}
