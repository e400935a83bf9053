import { maskWebhookSecret } from '@pasis/core';
import { DELIVERY_STATES, type Filters, SESSION_STATUSES } from '../filters.js';
import type { SandboxApp, SandboxDelivery, SandboxSession } from '../model.js';
import type { Page } from '../paging.js';
import type { RateLimitSummary } from '../rate-limit.js';
import { escapeHtml, formatRwf, page } from './html.js';
import { pager } from './pager.js';
import { attemptSummary, LIVE_STATUS, redeliverForms, stateBadge } from './parts.js';

// Above this many apps, the filter takes a typed app_id rather than listing them all.
const MAX_APP_OPTIONS = 100;

function rowsOf<T>(page: Page<T>, render: (row: T) => string): string {
  return page.data.map(render).join('');
}

function rateLimitLine({ limit, refused }: RateLimitSummary): string {
  if (limit === null) return '';
  return `<p id="rate-limit">Rate limit: ${escapeHtml(limit)} requests per second per app on /api/checkouts/* · <strong>${escapeHtml(refused)}</strong> refused (429)</p>`;
}

function appsTable(apps: Page<SandboxApp>, refusedByApp: Record<string, number>): string {
  if (apps.total === 0)
    return '<p class="muted">No apps yet: POST /_sandbox/apps or run `pasis sandbox`.</p>';
  const rows = apps.data
    .map(
      (app) => `<tr><td>${escapeHtml(app.name)}<br><code>${escapeHtml(app.app_id)}</code></td>
<td><details><summary><code>${escapeHtml(maskWebhookSecret(app.webhook_secret))}</code> <span class="muted">(reveal)</span></summary><code>${escapeHtml(app.webhook_secret)}</code></details></td>
<td>${app.verified ? 'verified' : `unverified<br><span class="muted">approved: ${escapeHtml(app.approved_numbers.join(', ') || 'none')}</span>`}${refusedByApp[app.app_id] ? `<br><span class="muted">rate limited: ${escapeHtml(refusedByApp[app.app_id])}</span>` : ''}</td>
<td><code>${escapeHtml(app.callback_url)}</code><br><code>${escapeHtml(app.return_url)}</code></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">App</th><th scope="col">Webhook secret</th><th scope="col">Account</th><th scope="col">Callback / return URL</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sessionsTable(sessions: Page<SandboxSession>, apps: ReadonlyMap<string, SandboxApp>): string {
  if (sessions.total === 0) return '<p class="muted">No sessions match.</p>';
  const rows = rowsOf(
    sessions,
    (
      s,
    ) => `<tr><td><a href="/pay/${encodeURIComponent(s.session_id)}"><code>${escapeHtml(s.session_id)}</code></a></td>
<td>${escapeHtml(apps.get(s.app_id)?.name ?? s.app_id)}</td><td>${escapeHtml(s.email)}</td><td class="num">${formatRwf(s.amount)}</td>
<td><span class="badge ${escapeHtml(s.status)}">${escapeHtml(s.status)}</span>${s.approval ? `<br><span class="muted">awaiting approval until ${escapeHtml(s.approval.expires_at)}</span>` : ''}</td><td class="muted">${escapeHtml(s.created_at)}${s.completed_at ? `<br>ended ${escapeHtml(s.completed_at)}` : ''}</td>
<td><a href="/?session_id=${encodeURIComponent(s.session_id)}">Deliveries<span class="muted"> of ${escapeHtml(s.session_id)}</span></a></td></tr>`,
  );
  return `<table><thead><tr><th scope="col">Session</th><th scope="col">App</th><th scope="col">Email</th><th scope="col" class="num">Amount</th><th scope="col">Status</th><th scope="col">Time</th><th scope="col">Webhooks</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deliveriesTable(deliveries: Page<SandboxDelivery>, returnTo: string): string {
  if (deliveries.total === 0) return '<p class="muted">No deliveries match.</p>';
  const rows = rowsOf(deliveries, (d) => {
    const attempts = attemptSummary(d);
    return `<tr><td><a href="/deliveries/${encodeURIComponent(d.id)}"><code>${escapeHtml(d.id)}</code></a><br>${escapeHtml(String(d.event.kind))} · ${escapeHtml(String(d.event.status))}<br><span class="muted">webhook-id <code>${escapeHtml(d.webhook_id)}</code></span></td>
<td><a href="/?session_id=${encodeURIComponent(d.session_id)}"><code>${escapeHtml(d.session_id)}</code></a><br><code class="muted">${escapeHtml(d.url)}</code></td>
<td>${escapeHtml(d.behaviour)}${d.delay_ms !== undefined ? ` ${escapeHtml(d.delay_ms)} ms` : ''}${d.redelivery_of ? `<br><span class="muted">redelivery of <a href="/deliveries/${encodeURIComponent(d.redelivery_of)}">${escapeHtml(d.redelivery_of)}</a></span>` : ''}</td>
<td>${stateBadge(d)}<br><span class="muted">${attempts || (d.state === 'lost' ? 'never sent' : 'sending…')}</span>${d.next_retry_at ? `<br><span class="muted">next attempt ${escapeHtml(d.next_retry_at)}</span>` : ''}</td>
<td>${redeliverForms(d, returnTo)}</td></tr>`;
  });
  return `<table><thead><tr><th scope="col">Delivery</th><th scope="col">Session / URL</th><th scope="col">Behaviour</th><th scope="col">Attempts</th><th scope="col"><span class="muted">Actions</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function option(value: string, label: string, selected: string | undefined) {
  return `<option value="${escapeHtml(value)}"${value === (selected ?? '') ? ' selected' : ''}>${escapeHtml(label)}</option>`;
}

function appFilter(apps: ReadonlyMap<string, SandboxApp>, f: Filters): string {
  if (apps.size > MAX_APP_OPTIONS) {
    return `<label for="f-app">App id</label><input id="f-app" name="app_id" value="${escapeHtml(f.app_id ?? '')}" placeholder="any app">`;
  }
  const options = [
    option('', 'Any app', f.app_id),
    ...[...apps.values()].map((a) => option(a.app_id, a.name, f.app_id)),
  ];
  return `<label for="f-app">App</label><select id="f-app" name="app_id">${options.join('')}</select>`;
}

function filterForm(apps: ReadonlyMap<string, SandboxApp>, f: Filters): string {
  const statusOptions = [option('', 'Any', f.status), ...SESSION_STATUSES.map((s) => option(s, s, f.status))];
  const stateOptions = [option('', 'Any', f.state), ...DELIVERY_STATES.map((s) => option(s, s, f.state))];
  return `<section class="card" aria-labelledby="filter"><h2 id="filter">Filter</h2><form method="get" action="/" class="filters">
<div>${appFilter(apps, f)}</div>
<div><label for="f-session">Session id</label><input id="f-session" name="session_id" value="${escapeHtml(f.session_id ?? '')}" placeholder="sess_…"></div>
<div><label for="f-status">Session status</label><select id="f-status" name="status">${statusOptions.join('')}</select></div>
<div><label for="f-state">Delivery state</label><select id="f-state" name="state">${stateOptions.join('')}</select></div>
<div class="row"><button class="small" type="submit">Filter</button><a href="/">Clear</a></div></form></section>`;
}

/** What the dashboard shows: one page of each table, already filtered. */
export interface DashboardData {
  apps: Page<SandboxApp>;
  allApps: ReadonlyMap<string, SandboxApp>;
  sessions: Page<SandboxSession>;
  deliveries: Page<SandboxDelivery>;
  filters: Filters;
  /** This page's query: filters and each table's cursor (`apps_cursor`…), for the page links. */
  query: URLSearchParams;
  /** The rate limit and its refusals so far. */
  rateLimit: RateLimitSummary;
  /** This page's own path and query, where the buttons come back to. */
  self: string;
}

/** The dashboard at `/`: filters, apps, sessions, deliveries; it updates itself while open. */
export function renderDashboard(data: DashboardData): string {
  return page(
    'Pasis sandbox',
    `<p class="muted">Pasis Checkout · local sandbox</p><h1>Dashboard</h1>${LIVE_STATUS}
${filterForm(data.allApps, data.filters)}
<section class="card" id="apps-region" data-live aria-labelledby="apps"><h2 id="apps">Apps</h2>${rateLimitLine(data.rateLimit)}${appsTable(data.apps, data.rateLimit.refused_by_app)}${pager(data.apps, 'apps', 'apps_cursor', data.query)}</section>
<section class="card" id="sessions-region" data-live aria-labelledby="sessions"><h2 id="sessions">Sessions</h2>${sessionsTable(data.sessions, data.allApps)}${pager(data.sessions, 'sessions', 'sessions_cursor', data.query)}</section>
<section class="card" id="deliveries-region" data-live aria-labelledby="deliveries"><h2 id="deliveries">Webhook deliveries</h2>${deliveriesTable(data.deliveries, data.self)}${pager(data.deliveries, 'deliveries', 'deliveries_cursor', data.query)}</section>`,
    { wide: true, live: true },
  );
}
