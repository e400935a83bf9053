/**
 * What the reconciler's tests share: a local Pasis answering §1b for the whole file (reset
 * after each test), and fresh session ids (the server's sessions outlive a test).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type SessionServer, startSessionServer } from '../../testing/peers/session-server.js';

type Status = 'open' | 'success' | 'cancelled';

/**
 * Registers the file's hooks; `use` receives the running server before the first test.
 * Returns `ids(n, status?, amount?)`: `n` fresh ids under `prefix`, each set to `status`
 * (with `amount`, default Pasis's own) on the server when given.
 *
 * @example
 * let pasis: SessionServer;
 * const ids = sessionServerFixture('sess_run', (server) => (pasis = server));
 * const [paid] = ids(1, 'success');
 */
export function sessionServerFixture(prefix: string, use: (server: SessionServer) => void) {
  let server: SessionServer | undefined;
  beforeAll(async () => {
    server = await startSessionServer();
    use(server);
  });
  afterAll(() => server?.close());
  afterEach(() => server?.reset());
  let next = 0;
  return (n: number, status?: Status, amount?: number): string[] =>
    Array.from({ length: n }, () => {
      const id = `${prefix}_${++next}`;
      if (status !== undefined) server!.set(id, status, amount);
      return id;
    });
}
