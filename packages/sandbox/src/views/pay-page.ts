import { type SandboxApp, type SandboxSession, WEBHOOK_BEHAVIOURS, type WebhookBehaviour } from '../model.js';
import { APPROVING_NUMBER, DECLINING_NUMBER } from '../payment-rules.js';
import { escapeHtml, formatRwf, page } from './html.js';

export interface PayPageState {
  app: SandboxApp;
  session: SandboxSession;
  error?: { title: string; hint?: string };
  phone?: string;
  /** The webhook behaviour to preselect, and the delay to offer. */
  webhook: { behaviour: WebhookBehaviour; delayMs: number };
}

const BEHAVIOUR_TEXT: Record<WebhookBehaviour, string> = {
  deliver: 'one delivery, retried until your shop answers 2xx',
  lose: 'never sent: only GET /api/checkouts/:id tells your shop',
  duplicate: 'the same delivery (one webhook-id) twice, at the same moment',
  delay: 'the first attempt waits for the delay below',
};

// Not part of a real Pasis page: set apart, and labelled so, so that nobody mistakes it.
function sandboxControls({ behaviour, delayMs }: PayPageState['webhook']): string {
  const radios = WEBHOOK_BEHAVIOURS.map(
    (b) =>
      `<label><input type="radio" name="webhook" value="${b}"${b === behaviour ? ' checked' : ''}><span><strong>${b}</strong>: ${escapeHtml(BEHAVIOUR_TEXT[b])}</span></label>`,
  ).join('');
  return `<fieldset class="sandbox-only" aria-describedby="sandbox-only-help"><legend><span class="tag">Sandbox only</span> Webhook behaviour</legend>
<p id="sandbox-only-help" class="muted">A real Pasis page has no such choice. It picks what the sandbox does with this session's webhook.</p>
${radios}<label for="delay_ms" style="display:block;font-weight:600">Delay for <code>delay</code> (milliseconds)</label>
<input id="delay_ms" name="delay_ms" type="number" min="0" max="86400000" step="1" value="${escapeHtml(delayMs)}" inputmode="numeric"></fieldset>`;
}

function itemsTable(session: SandboxSession): string {
  const rows = session.items
    .map((item) => `<tr><td>${escapeHtml(item.name)}</td><td class="num">${formatRwf(item.Amount)}</td></tr>`)
    .join('');
  return `<table aria-label="Items"><thead><tr><th scope="col">Item</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${rows}<tr class="total"><td>Total</td><td class="num">${formatRwf(session.amount)}</td></tr></tbody></table>`;
}

/** The hosted checkout page of one session (CONTRACT §2): pay with a phone number, or cancel. */
export function renderPayPage({ app, session, error, phone, webhook }: PayPageState): string {
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
<p id="phone-help" class="muted">Test numbers: ${APPROVING_NUMBER} approves, ${DECLINING_NUMBER} declines.</p>
<div class="actions"><button class="pay" type="submit" name="action" value="pay">Pay ${formatRwf(session.amount)}</button>
<button class="cancel" type="submit" name="action" value="cancel" formnovalidate>Cancel</button></div>
${sandboxControls(webhook)}
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
