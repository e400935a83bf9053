import { signWebhook } from '@pasis/core/testing';

/** `count` distinct signed deliveries (distinct ids: each one really runs the handler). */
export function signedDeliveries(secret, prefix, count) {
  return Array.from({ length: count }, (_, i) =>
    signWebhook(
      { kind: 'session:processed', session_id: `sess_${prefix}_${i}`, amount: 5000, status: 'success' },
      { secret, id: `msg_${prefix}_${i}` },
    ),
  );
}
