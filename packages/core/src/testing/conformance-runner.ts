/**
 * A test runner, as both conformance suites (stores and adapters) call it: vitest's, jest's,
 * mocha's or `node:test`'s `describe`, `it`, `beforeAll` and `afterAll` (mocha's and
 * `node:test`'s `before`/`after` fit too). The suites assert with `node:assert/strict` and
 * import no runner themselves.
 *
 * @example
 * import { afterAll, beforeAll, describe, it } from 'vitest';
 * const runner: ConformanceRunner = { describe, it, beforeAll, afterAll };
 */
export interface ConformanceRunner {
  /** Groups tests. */
  describe: (name: string, fn: () => void) => unknown;
  /** One async test; `it.skip`, when the runner has it, marks a case the platform cannot have. */
  it: ((name: string, fn: () => Promise<void>) => unknown) & {
    skip?: (name: string, fn: () => Promise<void>) => unknown;
  };
  /** Runs once before the group's tests (the adapter suite starts its server here). */
  beforeAll?: (fn: () => Promise<void>) => unknown;
  /** Runs once after them. */
  afterAll?: (fn: () => Promise<void>) => unknown;
}
