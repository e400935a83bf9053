/**
 * Reading the app's open sessions a page at a time, so that a run holds a page or two in
 * memory however long the backlog: a list (array, iterable, async iterable) is consumed as
 * the run goes; a paged source is asked for the next page with the last id as its cursor.
 * Repeats are dropped within a bounded window of recent ids.
 */
import { CORE_PACKAGE, configError } from '../config.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import type { PagedSessions, SessionRef, SessionsList, SessionsQuery, SessionsSource } from './types.js';

/** One page as a run reads it: new distinct ids, and how many entries were not ids at all. */
export interface SessionPage {
  ids: string[];
  invalid: number;
}

/** How many pages' worth of ids a run remembers to drop repeats (older repeats are checked again). */
export const DEDUP_PAGES = 2;

function idOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  return isPlainObject(ref) && typeof ref.session_id === 'string' ? ref.session_id : undefined;
}

const notAList = () =>
  configError(
    CORE_PACKAGE,
    'createReconciler: sessions() must return an array or an iterable of session ids or { session_id } objects (or a promise of one); sessions.page() an array of them.',
  );

/** The last `capacity` ids seen, to drop repeats without remembering the whole backlog. */
class RecentIds {
  readonly #set = new Set<string>();
  readonly #order: string[] = [];
  constructor(readonly capacity: number) {}

  /** Whether `id` is new (then remembered). */
  add(id: string): boolean {
    if (this.#set.has(id)) return false;
    this.#set.add(id);
    this.#order.push(id);
    if (this.#order.length > this.capacity) this.#set.delete(this.#order.shift() as string);
    return true;
  }
}

async function* entries(listed: unknown, signal: AbortSignal): AsyncGenerator<unknown> {
  const source = listed as Partial<AsyncIterable<unknown> & Iterable<unknown>> | null;
  if (typeof source?.[Symbol.asyncIterator] === 'function') {
    for await (const ref of source as AsyncIterable<unknown>) {
      if (signal.aborted) return;
      yield ref;
    }
  } else if (typeof listed !== 'string' && typeof source?.[Symbol.iterator] === 'function') {
    for (const ref of source as Iterable<unknown>) yield ref;
  } else {
    throw notAList();
  }
}

/** A list source, cut into pages of `pageSize` entries as it is consumed. */
async function* listPages(sessions: SessionsList, query: SessionsQuery, pageSize: number) {
  let listed: unknown = sessions(query);
  if (isPromiseLike(listed)) listed = await listed;
  let page: unknown[] = [];
  for await (const ref of entries(listed, query.signal)) {
    page.push(ref);
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/** A paged source, asked page after page until a short one (or one that does not move on). */
async function* pagedPages(sessions: PagedSessions, query: SessionsQuery, pageSize: number) {
  let after: string | undefined;
  // Bounded by the app's data: each page must move the cursor, or reading ends.
  while (!query.signal.aborted) {
    let rows: unknown = sessions.page({ ...query, after, limit: pageSize });
    if (isPromiseLike(rows)) rows = await rows;
    if (
      typeof rows === 'string' ||
      typeof (rows as Iterable<unknown> | null)?.[Symbol.iterator] !== 'function'
    )
      throw notAList();
    const page = [...(rows as Iterable<unknown>)];
    if (page.length > 0) yield page;
    const last = idOf(page[page.length - 1]);
    if (page.length < pageSize || last === undefined || last === after) return;
    after = last;
  }
}

/**
 * The app's open sessions, a page of new distinct ids at a time. Throws what the app's
 * function throws, and `config_error` for an answer that is not a list.
 *
 * @example
 * for await (const { ids } of readPages(deps.sessions, query, 500)) queue.push(...ids);
 */
export async function* readPages(
  sessions: SessionsSource,
  query: SessionsQuery,
  pageSize: number,
): AsyncGenerator<SessionPage> {
  const recent = new RecentIds(DEDUP_PAGES * pageSize);
  const pages =
    typeof sessions === 'function'
      ? listPages(sessions, query, pageSize)
      : pagedPages(sessions, query, pageSize);
  for await (const page of pages) {
    const out: SessionPage = { ids: [], invalid: 0 };
    for (const ref of page as SessionRef[]) {
      const id = idOf(ref);
      if (id === undefined) out.invalid++;
      else if (recent.add(id)) out.ids.push(id);
    }
    yield out;
  }
}
