/**
 * What the confirm-by-fetch tests share: a local Pasis answering §1b for the whole file
 * (reset after each test), fresh session ids, clients pointed at it, and events.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { PasisClientOptions } from '../../client/options.js';
import { testClient } from '../../client/test-support/client.js';
import type { SessionProcessedEvent } from '../../events/types.js';
import { type SessionServer, startSessionServer } from '../../testing/peers/session-server.js';

/** Registers the file's hooks; `pasis()` is the running server inside a test. */
export function confirmFixture(prefix: string) {
  let server: SessionServer | undefined;
  beforeAll(async () => {
    server = await startSessionServer();
  });
  afterAll(() => server?.close());
  afterEach(() => {
    server?.requested.splice(0);
    server?.reset();
  });
  let next = 0;
  const pasis = () => server!;
  return {
    pasis,
    /** A fresh session id per test: the server's sessions outlive a test. */
    sessionId: () => `${prefix}_${++next}`,
    client: (options: PasisClientOptions = {}) => testClient(pasis().baseUrl, options).client,
    processed: (id: string, overrides: Partial<SessionProcessedEvent> = {}): SessionProcessedEvent => ({
      kind: 'session:processed',
      session_id: id,
      amount: 5000,
      status: 'success',
      ...overrides,
    }),
  };
}
