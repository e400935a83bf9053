import type { DeliveryAttempt, SandboxDelivery } from '../model.js';
import { escapeHtml } from './html.js';

/** A delivery's state as a badge; `lost` says that it was lost on purpose. */
export function stateBadge(delivery: SandboxDelivery): string {
  const text = delivery.state === 'lost' ? 'lost on purpose' : delivery.state;
  return `<span class="badge ${escapeHtml(delivery.state)}">${escapeHtml(text)}</span>`;
}

/** Attempts in the order they started. */
export function sortedAttempts(delivery: SandboxDelivery): DeliveryAttempt[] {
  return [...delivery.attempts].sort((a, b) => a.attempt - b.attempt);
}

/** `#1 200 · #2 409`: one short outcome per attempt. */
export function attemptSummary(delivery: SandboxDelivery): string {
  return sortedAttempts(delivery)
    .map((a) => `#${a.attempt} ${escapeHtml(a.status_code ?? a.error ?? '…')}`)
    .join(' · ');
}

/** The two redeliver buttons: the same `webhook-id`, or a fresh delivery of the same event. */
export function redeliverForms(delivery: SandboxDelivery, returnTo: string): string {
  // A page route, not the JSON-only control API: a form cannot send JSON.
  const action = `/deliveries/${encodeURIComponent(delivery.id)}/redeliver`;
  return `<div class="row"><form class="inline" method="post" action="${action}"><input type="hidden" name="return_to" value="${escapeHtml(returnTo)}"><button class="small" type="submit" aria-label="Redeliver ${escapeHtml(delivery.id)} with the same webhook-id">Redeliver</button></form>
<form class="inline" method="post" action="${action}"><input type="hidden" name="new_id" value="true"><button class="small" type="submit" aria-label="Redeliver ${escapeHtml(delivery.id)} as a new delivery with a new webhook-id">Redeliver with new id</button></form></div>`;
}

/** The live-update status line (filled by /assets/live.js). */
export const LIVE_STATUS =
  '<p id="live-status" class="muted" role="status">Live updates need JavaScript: reload to see changes.</p>';
