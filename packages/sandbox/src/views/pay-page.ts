import type { SandboxApp, SandboxSession } from '../store.js';
import { escapeHtml, formatRwf, page } from './html.js';

export interface PayPageState {
  app: SandboxApp;
  session: SandboxSession;
  error?: { title: string; hint?: string };
  phone?: string;
}

function itemsTable(session: SandboxSession): string {
  const rows = session.items
    .map((item) => `<tr><td>${escapeHtml(item.name)}</td><td class="num">${formatRwf(item.Amount)}</td></tr>`)
    .join('');
  return `<table aria-label="Items"><thead><tr><th scope="col">Item</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${rows}<tr class="total"><td>Total</td><td class="num">${formatRwf(session.amount)}</td></tr></tbody></table>`;
}

/** The hosted checkout page of one session (CONTRACT §2): pay with a phone number, or cancel. */
export function renderPayPage({ app, session, error, phone }: PayPageState): string {
  const header = `<p class="muted">Pasis Checkout · sandbox</p><h1>Pay ${escapeHtml(app.name)}</h1>`;
  const summary = `<section class="card" aria-labelledby="order">${`<h2 id="order">Your order</h2>`}${itemsTable(session)}
<p class="muted">Receipt to ${escapeHtml(session.email)}</p></section>`;
  if (session.status !== 'open') {
    return page(
      `Payment ${session.status}`,
      `${header}${summary}<section class="card" role="status"><h2>This checkout is finished</h2>
<p>Status: <span class="badge ${escapeHtml(session.status)}">${escapeHtml(session.status)}</span>. It cannot be paid again.</p></section>`,
    );
  }
  const alert = error
    ? `<div class="error" role="alert"><strong>${escapeHtml(error.title)}</strong>${error.hint ? `<p>${escapeHtml(error.hint)}</p>` : ''}</div>`
    : '';
  const form = `<section class="card" aria-labelledby="pay"><h2 id="pay">Pay → Payup with mobile money</h2>${alert}
<form method="post" action="/pay/${encodeURIComponent(session.session_id)}">
<label for="phone">Phone number</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="07XXXXXXXX" value="${escapeHtml(phone ?? '')}" aria-describedby="phone-help">
<p id="phone-help" class="muted">Test numbers: 0780000001 approves, 0780000002 declines.</p>
<div class="actions"><button class="pay" type="submit" name="action" value="pay">Pay ${formatRwf(session.amount)}</button>
<button class="cancel" type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>
</form></section>`;
  return page(`Pay ${app.name}`, `${header}${summary}${form}`);
}

/** A plain message page (unknown session, and the like). */
export function renderMessage(title: string, message: string): string {
  return page(
    title,
    `<section class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></section>`,
  );
}
