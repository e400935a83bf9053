// One HTML escape and one money format for every page Pasis's projects render: the sandbox's
// (its pay page shows the same amounts), not a copy of them.
import { escapeHtml } from '@pasis/sandbox/html';

const STYLE = `body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#faf7f2;color:#222}
main{max-width:34rem;margin:0 auto;padding:1.5rem}h1{font-size:1.5rem}.card{background:#fff;border-radius:10px;padding:1.2rem;box-shadow:0 1px 3px #0002;margin:1rem 0}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}input,select{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #888;border-radius:6px}
button{margin-top:1rem;width:100%;font:inherit;font-weight:700;padding:.75rem;border:0;border-radius:6px;background:#1f5fbf;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #f5a623;outline-offset:2px}.status{font-size:1.3rem}.muted{color:#666;font-size:.9rem}`;

/** The page shell of the shop. */
export function layout(title: string, body: string, refreshSec?: number): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>${refreshSec ? `<meta http-equiv="refresh" content="${refreshSec}">` : ''}<style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}
