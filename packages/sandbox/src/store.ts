import type { SessionStatus } from '@pasis/core';

/** An application registered with the sandbox (CONTRACT §4). */
export interface SandboxApp {
  app_id: string;
  name: string;
  callback_url: string;
  return_url: string;
  webhook_secret: string;
  verified: boolean;
  approved_numbers: string[];
  created_at: string;
}

/** One item as the sandbox keeps it (wire spelling). */
export interface SandboxItem {
  name: string;
  Amount: number;
}

/** A checkout session and how it ended. */
export interface SandboxSession {
  session_id: string;
  app_id: string;
  email: string;
  items: SandboxItem[];
  amount: number;
  status: 'open' | SessionStatus;
  payment_link: string;
  created_at: string;
  completed_at?: string;
  phone?: string;
}

/** One attempt at delivering an event. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status_code?: number;
  error?: string;
  duration_ms: number;
}

/** One event and every attempt to deliver it. */
export interface SandboxDelivery {
  id: string;
  webhook_id: string;
  app_id: string;
  session_id: string;
  event: Record<string, unknown>;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  next_retry_at?: string;
}

/** The sandbox's whole state: in memory, gone on restart. */
export class SandboxStore {
  readonly apps = new Map<string, SandboxApp>();
  readonly sessions = new Map<string, SandboxSession>();
  readonly deliveries = new Map<string, SandboxDelivery>();
  /** Idempotency-Key → the request body's fingerprint and the session it created. */
  readonly idempotency = new Map<string, { fingerprint: string; session_id: string }>();

  /** Newest first, for the dashboard and the control API. */
  list<T>(map: Map<string, T>): T[] {
    return [...map.values()].reverse();
  }
}
