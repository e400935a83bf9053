/**
 * Reading the app's sessions a page at a time: a paged source by cursor, a list consumed as
 * it goes (never read ahead of what the run takes), repeats dropped within a bounded window.
 */
import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import { DEDUP_PAGES, readPages } from './pages.js';
import type { SessionsQuery } from './types.js';

const query = (): SessionsQuery => ({
  olderThanMs: 60_000,
  olderThan: 60_000,
  before: new Date(0),
  signal: new AbortController().signal,
  after: undefined,
  limit: 500,
});

const idsOf = (n: number) => Array.from({ length: n }, (_, i) => `sess_${String(i).padStart(5, '0')}`);

async function collect(pages: AsyncIterable<{ ids: string[]; invalid: number }>) {
  const out: { ids: string[]; invalid: number }[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('readPages: a paged source', () => {
  it('asks page after page with the last id as cursor, until a short page', async () => {
    const all = idsOf(25);
    const asked: Pick<SessionsQuery, 'after' | 'limit'>[] = [];
    const pages = await collect(
      readPages(
        {
          page: async ({ after, limit, olderThanMs }) => {
            expect(olderThanMs).toBe(60_000); // the run's query comes along
            asked.push({ after, limit });
            return all
              .filter((id) => after === undefined || id > after)
              .slice(0, limit)
              .map((session_id) => ({ session_id }));
          },
        },
        query(),
        10,
      ),
    );
    expect(pages.map((p) => p.ids.length)).toEqual([10, 10, 5]);
    expect(pages.flatMap((p) => p.ids)).toEqual(all);
    expect(asked).toEqual([
      { after: undefined, limit: 10 },
      { after: 'sess_00009', limit: 10 },
      { after: 'sess_00019', limit: 10 },
    ]);
  });

  it('asks once more after a full last page, and stops at an empty one', async () => {
    const all = idsOf(20);
    let calls = 0;
    const source = {
      page: ({ after, limit }: SessionsQuery) => {
        calls++;
        return all.filter((id) => after === undefined || id > after).slice(0, limit);
      },
    };
    expect((await collect(readPages(source, query(), 10))).flatMap((p) => p.ids)).toHaveLength(20);
    expect(calls).toBe(3);
  });

  it('stops when a page does not move the cursor (a source that ignores `after`)', async () => {
    let calls = 0;
    const stuck = {
      page: () => {
        calls++;
        return idsOf(10);
      },
    };
    const pages = await collect(readPages(stuck, query(), 10));
    expect(calls).toBe(2);
    expect(pages.flatMap((p) => p.ids)).toEqual(idsOf(10)); // the repeat page is dropped as repeats
  });

  it('refuses a page that is not a list, with config_error', async () => {
    const error = await collect(readPages({ page: () => 'sess_1' as never }, query(), 10)).catch(
      (e: unknown) => e,
    );
    expect(isPasisError(error, 'config_error')).toBe(true);
  });
});

describe('readPages: a list source', () => {
  it('consumes an async iterable only as far as the pages taken', async () => {
    let produced = 0;
    async function* backlog() {
      for (const id of idsOf(1_000)) {
        produced++;
        yield id;
      }
    }
    const pages = readPages(() => backlog(), query(), 50);
    const first = await pages.next();
    expect(first.value?.ids).toHaveLength(50);
    expect(produced).toBeLessThanOrEqual(51);
    await pages.return(undefined);
  });

  it('drops repeats within the last pages, counts junk; an older repeat is read again', async () => {
    const pageSize = 4;
    const far = Array.from({ length: DEDUP_PAGES * pageSize }, (_, i) => `sess_filler_${i}`);
    const list = ['sess_a', 'sess_a', 7, { session_id: 'sess_b' }, ...far, 'sess_a'];
    const pages = await collect(readPages(() => list as never, query(), pageSize));
    const ids = pages.flatMap((p) => p.ids);
    expect(ids.filter((id) => id === 'sess_a')).toHaveLength(2); // the adjacent repeat dropped, the far one not
    expect(ids).toContain('sess_b');
    expect(pages.reduce((sum, p) => sum + p.invalid, 0)).toBe(1);
  });
});
