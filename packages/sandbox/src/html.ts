/**
 * `@pasis/sandbox/html`: the text helpers of the sandbox's own pages (the hosted pay page,
 * the dashboard), for pages of yours that show Pasis amounts: the example shops use them.
 * Nothing else of the sandbox is loaded: no server, no store, no dependency.
 */
export { escapeHtml, formatRwf } from './views/html.js';
