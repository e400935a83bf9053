import type { Page } from '../paging.js';
import { escapeHtml } from './html.js';

/** A page's own query with `name` set to `value`, or removed when `value` is undefined. */
function linkTo(query: URLSearchParams, name: string, value: string | undefined): string {
  const next = new URLSearchParams(query);
  if (value === undefined) next.delete(name);
  else next.set(name, value);
  const text = next.toString();
  return `/${text === '' ? '' : `?${text}`}`;
}

/**
 * Under a dashboard table: how many rows it shows of how many, and links to the newest page
 * and to older rows. Each table pages on its own query parameter (`sessions_cursor`…), so
 * the filters and the other tables' pages stay as they are.
 *
 * @example
 * pager(page, 'sessions', 'sessions_cursor', url.searchParams);
 */
export function pager(page: Page<unknown>, what: string, cursorName: string, query: URLSearchParams): string {
  const onNewest = !query.get(cursorName);
  if (onNewest && !page.has_more) return '';
  const links = [
    onNewest
      ? ''
      : `<a href="${escapeHtml(linkTo(query, cursorName, undefined))}">Newest ${escapeHtml(what)}</a>`,
    page.has_more
      ? `<a href="${escapeHtml(linkTo(query, cursorName, page.next_cursor))}">Older ${escapeHtml(what)} →</a>`
      : '',
  ].filter(Boolean);
  return `<nav class="row muted" aria-label="Pages of ${escapeHtml(what)}"><span>${page.data.length} of ${page.total} ${escapeHtml(what)}, newest first${onNewest ? '' : ' (an older page)'}.</span>${links.join('')}</nav>`;
}
