import { type SandboxApp, type SandboxSession, WEBHOOK_BEHAVIOURS, type WebhookBehaviour } from '../model.js';
import { APPROVING_NUMBER, DECLINING_NUMBER, SILENT_NUMBER } from '../payment-rules.js';
import { escapeHtml, formatRwf, page } from './html.js';
import { LIVE_STATUS } from './parts.js';

/** What the hosted page shows: the session, and what the payer just did. */
export interface PayPageState {
  app: SandboxApp;
  session: SandboxSession;
  /** Where "Back to the shop" leads once the session is finished. */
  returnUrl?: string;
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

// The region the live script swaps: the waiting state turns into the outcome in place.
function finished(app: SandboxApp, session: SandboxSession, returnUrl: string | undefined): string {
  const back = returnUrl
    ? `<p><a href="${escapeHtml(returnUrl)}">Back to ${escapeHtml(app.name)}</a></p>`
    : '';
  return `<div id="payment-region" data-live><section class="card" role="status" aria-labelledby="outcome"><h2 id="outcome">This checkout is finished</h2>
<p>Status: <span class="badge ${escapeHtml(session.status)}">${escapeHtml(session.status)}</span>. It cannot be paid again.</p>${back}</section></div>`;
}

function waiting(session: SandboxSession): string {
  const approval = session.approval!;
  const until = `${approval.expires_at.slice(11, 19)} UTC`;
  return `<div id="payment-region" data-live><section class="card" role="status" aria-labelledby="waiting"><h2 id="waiting">Approve the payment on your phone</h2>
<p>A prompt to pay ${formatRwf(session.amount)} was sent to <strong>${escapeHtml(approval.phone)}</strong>: approve it there with your PIN.</p>
<p class="muted">Waiting for approval until <time datetime="${escapeHtml(approval.expires_at)}">${escapeHtml(until)}</time>. This page updates by itself.</p>
<p class="sandbox-only"><span class="tag">Sandbox only</span> ${SILENT_NUMBER} never answers: when the approval window passes, the session ends cancelled.</p></section></div>`;
}

/**
 * The hosted checkout page of one session (CONTRACT §2): pay with a phone number, or cancel;
 * while the payer's phone shows the prompt, a waiting state that turns into the outcome by
 * itself (the dashboard's live updates); once finished, the outcome.
 */
export function renderPayPage({ app, session, error, phone, webhook, returnUrl }: PayPageState): string {
  const header = `<p class="muted">Pasis Checkout · sandbox</p><h1>Pay ${escapeHtml(app.name)}</h1>`;
  const summary = `<section class="card" aria-labelledby="order">${`<h2 id="order">Your order</h2>`}${itemsTable(session)}
<p class="muted">Receipt to ${escapeHtml(session.email)}</p></section>`;
  if (session.status !== 'open') {
    return page(`Payment ${session.status}`, `${header}${summary}${finished(app, session, returnUrl)}`);
  }
  if (session.approval) {
    return page(
      `Approve on your phone: ${app.name}`,
      `${header}${summary}${LIVE_STATUS}${waiting(session)}`,
      {
        live: true,
      },
    );
  }
  const alert = error
    ? `<div class="error" role="alert"><strong>${escapeHtml(error.title)}</strong>${error.hint ? `<p>${escapeHtml(error.hint)}</p>` : ''}</div>`
    : '';
  const form = `<section class="card" aria-labelledby="pay"><h2 id="pay">Pay → Payup with mobile money</h2>${alert}
<form method="post" action="/pay/${encodeURIComponent(session.session_id)}">
<label for="phone">Phone number</label>
<input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" placeholder="07XXXXXXXX" value="${escapeHtml(phone ?? '')}" aria-describedby="phone-help">
<p id="phone-help" class="muted">Test numbers: ${APPROVING_NUMBER} approves, ${DECLINING_NUMBER} declines, ${SILENT_NUMBER} never answers.</p>
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
