import { HttpError } from './http.js';

/** Rows per page when a request names no `limit`: 50. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest `limit` a list accepts: 200. */
export const MAX_PAGE_SIZE = 200;

/** Which page of a newest-first list: `limit` rows after the row named by `cursor`. */
export interface PageRequest {
  limit: number;
  /** The id of the last row of the previous page (its `next_cursor`); none for the newest. */
  cursor?: string;
}

/** One page of a list, newest first. */
export interface Page<T> {
  data: T[];
  /** Whether older rows follow. */
  has_more: boolean;
  /** Pass it back as `cursor` for the next (older) page; present when `has_more`. */
  next_cursor?: string;
  /** How many rows match in all. */
  total: number;
}

function invalid(name: string, message: string): HttpError {
  return new HttpError(400, 'invalid_request', `${name}: ${message}`, {
    issues: [{ path: [name], message }],
  });
}

/**
 * Reads `limit` (1 to {@link MAX_PAGE_SIZE}, default {@link DEFAULT_PAGE_SIZE}) and `cursor`
 * from a query string; a bad `limit` is a 400.
 *
 * @example
 * readPage(new URLSearchParams('limit=20&cursor=sess_abc')); // { limit: 20, cursor: 'sess_abc' }
 */
export function readPage(query: URLSearchParams, cursorName = 'cursor'): PageRequest {
  const rawLimit = query.get('limit')?.trim();
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== undefined && rawLimit !== '') {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalid('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
  }
  const cursor = query.get(cursorName)?.trim() || undefined;
  return cursor === undefined ? { limit } : { limit, cursor };
}

/**
 * The page of `rows` (newest first) after the row whose key is `cursor`, keeping those that
 * pass `keep`. The cursor is found in the whole list, so a row that has since left the
 * filter (a session that ended) still marks the place. An unknown cursor is a 400.
 *
 * @example
 * paginate(store.list(store.sessions), (s) => s.session_id, (s) => s.status === 'open', { limit: 50 });
 */
export function paginate<T>(
  rows: readonly T[],
  keyOf: (row: T) => string,
  keep: (row: T) => boolean,
  { limit, cursor, name = 'cursor' }: PageRequest & { name?: string },
): Page<T> {
  let start = 0;
  if (cursor !== undefined) {
    const at = rows.findIndex((row) => keyOf(row) === cursor);
    if (at === -1) throw invalid(name, 'names no row of this list: start again from the newest page');
    start = at + 1;
  }
  const matching = rows.filter(keep);
  const rest = (start === 0 ? rows : rows.slice(start)).filter(keep);
  const data = rest.slice(0, limit);
  const last = data.at(-1);
  const has_more = rest.length > limit;
  return {
    data,
    has_more,
    ...(has_more && last !== undefined ? { next_cursor: keyOf(last) } : {}),
    total: matching.length,
  };
}
