import type { DeliveryAttempt, SandboxApp, SandboxDelivery } from '../model.js';
import { escapeHtml, page } from './html.js';
import { LIVE_STATUS, redeliverForms, sortedAttempts, stateBadge } from './parts.js';

function headersTable(headers: Record<string, string>, caption: string): string {
  const rows = Object.entries(headers)
    .map(
      ([name, value]) =>
        `<tr><th scope="row"><code>${escapeHtml(name)}</code></th><td><code>${escapeHtml(value)}</code></td></tr>`,
    )
    .join('');
  return `<table><caption class="muted">${escapeHtml(caption)}</caption><thead><tr><th scope="col">Header</th><th scope="col">Value</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A body as text; JSON is indented for reading (the raw bytes are what was signed). */
function bodyBlock(body: string, label: string): string {
  let shown = body;
  try {
    shown = JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    // Not JSON (or cut at 4 KiB): shown as it came.
  }
  return `<pre aria-label="${escapeHtml(label)}">${escapeHtml(shown === '' ? '(empty body)' : shown)}</pre>`;
}

function attemptSection(delivery: SandboxDelivery, attempt: DeliveryAttempt): string {
  const id = `attempt-${attempt.attempt}`;
  const outcome =
    attempt.status_code !== undefined
      ? `answered <strong>${escapeHtml(attempt.status_code)}</strong>`
      : `failed: <strong>${escapeHtml(attempt.error ?? 'unknown error')}</strong>`;
  const response = attempt.response
    ? `<h4>Response: ${escapeHtml(attempt.status_code)}</h4>${headersTable(attempt.response.headers, `Response headers of attempt ${attempt.attempt}`)}
<p class="muted">Body${attempt.response.body_truncated ? ' (first 4 KiB only)' : ''}:</p>${bodyBlock(attempt.response.body, `Response body of attempt ${attempt.attempt}`)}
${attempt.error ? `<p class="error">The answer broke off: ${escapeHtml(attempt.error)}</p>` : ''}`
    : `<h4>No response</h4><p class="error">Network error: <code>${escapeHtml(attempt.error ?? 'unknown')}</code> (nothing came back from <code>${escapeHtml(delivery.url)}</code>).</p>`;
  return `<section class="card" aria-labelledby="${id}"><h3 id="${id}">Attempt #${escapeHtml(attempt.attempt)} <span class="muted">(${escapeHtml(attempt.reason)})</span>: ${outcome} in ${escapeHtml(attempt.duration_ms)} ms</h3>
<p class="muted">Sent ${escapeHtml(attempt.at)} to <code>${escapeHtml(delivery.url)}</code></p>
<h4>Request</h4>${headersTable(attempt.request.headers, `Request headers of attempt ${attempt.attempt}`)}
<p class="muted">Body (the exact signed bytes, indented here):</p>${bodyBlock(attempt.request.body, `Request body of attempt ${attempt.attempt}`)}
${response}</section>`;
}

/** What the inspector page of one delivery shows. */
export interface DeliveryPageData {
  delivery: SandboxDelivery;
  app: SandboxApp | undefined;
  /** Fresh deliveries of the same event (redelivered with a new id). */
  redeliveries: SandboxDelivery[];
}

/** `/deliveries/:id`: one delivery, every attempt's request and answer; it updates itself. */
export function renderDeliveryPage({ delivery: d, app, redeliveries }: DeliveryPageData): string {
  const self = `/deliveries/${encodeURIComponent(d.id)}`;
  const link = (id: string) =>
    `<a href="/deliveries/${encodeURIComponent(id)}"><code>${escapeHtml(id)}</code></a>`;
  const attempts = sortedAttempts(d);
  const none =
    d.state === 'lost'
      ? '<p>Lost on purpose (webhook behaviour <code>lose</code>): no attempt is ever made. Only GET /api/checkouts/:id tells the shop how the session ended.</p>'
      : `<p class="muted">No attempt yet${d.next_retry_at ? `: the first is due ${escapeHtml(d.next_retry_at)}` : ''}.</p>`;
  return page(
    `Delivery ${d.id}`,
    `<p class="muted"><a href="/">Dashboard</a> · <a href="/?session_id=${encodeURIComponent(d.session_id)}">all deliveries of this session</a></p>
<h1>Delivery <code>${escapeHtml(d.id)}</code></h1>${LIVE_STATUS}
<div id="delivery-region" data-live>
<section class="card" aria-labelledby="summary"><h2 id="summary">Summary</h2><dl class="facts">
<dt>State</dt><dd>${stateBadge(d)}${d.next_retry_at ? ` <span class="muted">next attempt ${escapeHtml(d.next_retry_at)}</span>` : ''}</dd>
<dt>Event</dt><dd>${escapeHtml(String(d.event.kind))} · ${escapeHtml(String(d.event.status))}</dd>
<dt>webhook-id</dt><dd><code>${escapeHtml(d.webhook_id)}</code></dd>
<dt>Session</dt><dd><code>${escapeHtml(d.session_id)}</code></dd>
<dt>App</dt><dd>${escapeHtml(app?.name ?? '')} <code>${escapeHtml(d.app_id)}</code></dd>
<dt>URL</dt><dd><code>${escapeHtml(d.url)}</code></dd>
<dt>Behaviour</dt><dd>${escapeHtml(d.behaviour)}${d.delay_ms !== undefined ? ` (${escapeHtml(d.delay_ms)} ms)` : ''}</dd>
<dt>Created</dt><dd>${escapeHtml(d.created_at)}</dd>
${d.redelivery_of ? `<dt>Redelivery of</dt><dd>${link(d.redelivery_of)}</dd>` : ''}
${redeliveries.length ? `<dt>Redelivered as</dt><dd>${redeliveries.map((r) => link(r.id)).join(', ')}</dd>` : ''}
</dl>${redeliverForms(d, self)}</section>
<section class="card" aria-labelledby="event"><h2 id="event">Event</h2>${bodyBlock(JSON.stringify(d.event), 'Event')}</section>
<h2 id="attempts">Attempts (${attempts.length})</h2>
${attempts.length ? attempts.map((a) => attemptSection(d, a)).join('') : `<section class="card">${none}</section>`}
</div>`,
    { wide: true, live: true },
  );
}
