import { maskWebhookSecret } from '@pasis/core';
import type { SandboxApp, SandboxDelivery, SandboxSession } from '../store.js';
import { escapeHtml, formatRwf, page } from './html.js';

function appsTable(apps: SandboxApp[]): string {
  if (apps.length === 0)
    return '<p class="muted">No apps yet: POST /_sandbox/apps or run `pasis sandbox`.</p>';
  const rows = apps
    .map(
      (app) => `<tr><td>${escapeHtml(app.name)}<br><code>${escapeHtml(app.app_id)}</code></td>
<td><details><summary><code>${escapeHtml(maskWebhookSecret(app.webhook_secret))}</code> <span class="muted">(reveal)</span></summary><code>${escapeHtml(app.webhook_secret)}</code></details></td>
<td>${app.verified ? 'verified' : `unverified<br><span class="muted">approved: ${escapeHtml(app.approved_numbers.join(', ') || 'none')}</span>`}</td>
<td><code>${escapeHtml(app.callback_url)}</code><br><code>${escapeHtml(app.return_url)}</code></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">App</th><th scope="col">Webhook secret</th><th scope="col">Account</th><th scope="col">Callback / return URL</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sessionsTable(sessions: SandboxSession[]): string {
  if (sessions.length === 0) return '<p class="muted">No sessions yet.</p>';
  const rows = sessions
    .map(
      (
        s,
      ) => `<tr><td><a href="/pay/${encodeURIComponent(s.session_id)}"><code>${escapeHtml(s.session_id)}</code></a></td>
<td>${escapeHtml(s.email)}</td><td class="num">${formatRwf(s.amount)}</td>
<td><span class="badge ${escapeHtml(s.status)}">${escapeHtml(s.status)}</span></td><td class="muted">${escapeHtml(s.created_at)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">Session</th><th scope="col">Email</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deliveriesTable(deliveries: SandboxDelivery[]): string {
  if (deliveries.length === 0) return '<p class="muted">No deliveries yet.</p>';
  const rows = deliveries
    .map((d) => {
      const attempts = d.attempts
        .map((a) => `#${a.attempt} ${escapeHtml(a.status_code ?? a.error ?? '…')}`)
        .join(' · ');
      return `<tr><td><code>${escapeHtml(d.webhook_id)}</code><br>${escapeHtml(String(d.event.kind))} · ${escapeHtml(String(d.event.status))}</td>
<td><code>${escapeHtml(d.url)}</code></td><td><span class="badge ${escapeHtml(d.state)}">${escapeHtml(d.state)}</span><br><span class="muted">${attempts || 'sending…'}</span>${d.next_retry_at ? `<br><span class="muted">next retry ${escapeHtml(d.next_retry_at)}</span>` : ''}</td>
<td><form method="post" action="/_sandbox/deliveries/${encodeURIComponent(d.id)}/redeliver"><button class="small" type="submit">Redeliver</button></form></td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th scope="col">Event</th><th scope="col">URL</th><th scope="col">Attempts</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The dashboard at `/`: apps, sessions, deliveries. */
export function renderDashboard(data: {
  apps: SandboxApp[];
  sessions: SandboxSession[];
  deliveries: SandboxDelivery[];
}) {
  return page(
    'Pasis sandbox',
    `<p class="muted">Pasis Checkout · local sandbox</p><h1>Dashboard</h1>
<section class="card" aria-labelledby="apps"><h2 id="apps">Apps</h2>${appsTable(data.apps)}</section>
<section class="card" aria-labelledby="sessions"><h2 id="sessions">Sessions</h2>${sessionsTable(data.sessions)}</section>
<section class="card" aria-labelledby="deliveries"><h2 id="deliveries">Webhook deliveries</h2>${deliveriesTable(data.deliveries)}</section>`,
    { wide: true },
  );
}
