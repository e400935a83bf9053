// The reconcile bench's backlog: sessions created and paid at the sandbox, and the pending
// orders as a file read a page at a time by cursor (as a database index would serve them).
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { createPasisClient, silentLogger } from '@pasis/core';

/** Creates `n` sessions and pays `paidShare` of them (webhooks lost), unlimited; returns their ids and how many were paid. */
export async function seed(url, appId, n, paidShare, atOnce) {
  const client = createPasisClient({ appId, baseUrl: url, logger: silentLogger });
  const ids = [];
  let paid = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      while (next < n) {
        const i = next++;
        const s = await client.checkout.sessions.create({
          items: [{ name: 'Money Transfer', amount: 5000 }],
          email: 'customer@mail.com',
        });
        ids.push(s.session_id);
        if (i % 10 >= 10 * (1 - paidShare)) {
          const res = await fetch(`${url}/_sandbox/sessions/${s.session_id}/complete`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ status: 'success', phone: '0780000001', webhook: 'lose' }),
          });
          if (!res.ok) throw new Error(`complete answered ${res.status}: ${await res.text()}`);
          paid++;
        }
      }
    }),
  );
  return { ids, paid };
}

/** The pending orders as a file of fixed-width sorted lines, read a page at a time by cursor. */
export function fileSessions(path, ids) {
  const width = Math.max(...ids.map((id) => id.length)) + 1;
  writeFileSync(
    path,
    ids
      .sort()
      .map((id) => `${id.padEnd(width - 1)}\n`)
      .join(''),
  );
  const count = ids.length;
  const fd = openSync(path, 'r');
  const line = (i) => {
    const buffer = Buffer.alloc(width);
    readSync(fd, buffer, 0, width, i * width);
    return buffer.toString('latin1').trimEnd();
  };
  // The first line after `after`: a binary search, as an index would find it.
  const start = (after) => {
    let [lo, hi] = [0, count];
    while (after !== undefined && lo < hi) {
      const mid = (lo + hi) >> 1;
      if (line(mid) <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    sessions: {
      page: ({ after, limit }) => {
        const rows = [];
        for (let i = start(after); i < count && rows.length < limit; i++) rows.push({ session_id: line(i) });
        return rows;
      },
    },
    close: () => closeSync(fd),
  };
}
