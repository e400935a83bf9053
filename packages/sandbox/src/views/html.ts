/**
 * Escapes text for HTML content and attribute values (`&`, `<`, `>`, `"`, `'`). Exported as
 * `@pasis/sandbox/html`.
 *
 * @example
 * escapeHtml('Airtime <bundle>'); // 'Airtime &lt;bundle&gt;'
 */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Where the dashboard's live-update script is served. */
export const LIVE_SCRIPT_PATH = '/assets/live.js';

const rwf = new Intl.NumberFormat('en-RW', {
  style: 'currency',
  currency: 'RWF',
  currencyDisplay: 'code',
  maximumFractionDigits: 0,
});

/**
 * An amount in Rwandan francs, which have no minor unit. Exported as `@pasis/sandbox/html`.
 *
 * @example
 * formatRwf(5000); // 'RWF 5,000'
 */
export function formatRwf(amount: number): string {
  return rwf.format(amount);
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1b1f24}
main{max-width:36rem;margin:0 auto;padding:1.25rem}main.wide{max-width:72rem}
.card{overflow-x:auto;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1.25rem;margin-bottom:1rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .75rem}
table{width:100%;border-collapse:collapse;font-size:.92rem}th,td{text-align:left;padding:.45rem .4rem;border-bottom:1px solid #e3e7eb;vertical-align:top}
.total td{font-weight:700;border-bottom:none}.num{text-align:right;white-space:nowrap}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input{width:100%;font:inherit;padding:.7rem;border:1px solid #8a949e;border-radius:8px}
.actions{display:flex;gap:.75rem;margin-top:1rem}
button{font:inherit;font-weight:600;padding:.75rem 1.1rem;border-radius:8px;border:1px solid transparent;cursor:pointer;flex:1}
button.pay{background:#0a7b43;color:#fff}button.cancel{background:#fff;color:#1b1f24;border-color:#8a949e}
button.small{flex:none;padding:.3rem .6rem;font-size:.85rem;background:#eef1f4;border-color:#c3cad1}
:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c12;border-radius:8px;padding:.75rem;margin-bottom:1rem}
.muted{color:#5b6570;font-size:.9rem}.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;background:#eef1f4}
.badge.success,.badge.delivered{background:#dff3e8;color:#0a5c33}.badge.cancelled,.badge.failed{background:#fdecea;color:#8a1c12}
code{font-size:.85em;word-break:break-all}details summary{cursor:pointer}
.badge.lost{background:#fff4d6;color:#6b4a00}.badge.pending{background:#e6f0fb;color:#17457a}
.sandbox-only{border:2px dashed #b7791f;background:#fffaf0;border-radius:10px;padding:.75rem 1rem;margin:1rem 0 0}
.sandbox-only legend{font-weight:700;padding:0 .35rem}.sandbox-only label{font-weight:400;display:flex;gap:.5rem;align-items:baseline;margin:.35rem 0}
.sandbox-only input[type=radio]{width:auto}.tag{background:#b7791f;color:#fff;border-radius:4px;padding:0 .35rem;font-size:.75rem;text-transform:uppercase}
pre{background:#f6f8fa;border:1px solid #e3e7eb;border-radius:8px;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:.82rem;max-height:24rem}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}.filters div{min-width:10rem;flex:1}
.filters label{margin:0 0 .2rem}select{width:100%;font:inherit;padding:.6rem;border:1px solid #8a949e;border-radius:8px;background:#fff}
.inline{display:inline}.row{display:flex;gap:.5rem;flex-wrap:wrap}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}a{color:#0b57d0}
`;

/** The page shell: accessible, mobile-friendly, no external assets. */
export function page(
  title: string,
  body: string,
  options: { wide?: boolean; refreshSec?: number; live?: boolean } = {},
): string {
  const refresh = options.refreshSec ? `<meta http-equiv="refresh" content="${options.refreshSec}">` : '';
  // Same-origin and deferred: the CSP allows scripts from the sandbox itself, nothing else.
  const live = options.live ? `<script src="${LIVE_SCRIPT_PATH}" defer></script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>${refresh}<style>${STYLE}</style>${live}</head>
<body><main${options.wide ? ' class="wide"' : ''}>${body}</main></body></html>`;
}
