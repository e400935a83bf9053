/**
 * Content negotiation, decided once for the three shops: whether a client asked for JSON
 * rather than a page. Express's rule (`req.accepts(['html', 'json'])`, the same `negotiator`
 * underneath), so that every shop answers one `Accept` header alike: the client's preference
 * (q-values, then specificity, then its own order), HTML when it states none.
 */
import Negotiator from 'negotiator';

const OFFERED = ['text/html', 'application/json'];

/**
 * Whether the `Accept` header prefers JSON over HTML.
 *
 * @example
 * wantsJson('application/json'); // true
 * wantsJson('text/html, application/json;q=0.9'); // false
 * wantsJson(undefined); // false: a browser's form post gets the page
 */
export function wantsJson(accept: string | string[] | undefined): boolean {
  const header = Array.isArray(accept) ? accept.join(', ') : accept;
  if (header === undefined) return false;
  return new Negotiator({ headers: { accept: header } }).mediaType(OFFERED) === 'application/json';
}
