import { defineProject } from 'vitest/config';
import { pasisAliases, pasisTimeouts } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: pasisAliases },
  test: {
    ...pasisTimeouts,
    name: 'sandbox',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
    // These tests spawn the CLI (a Node
    // process per run) and drive chromium on 2 shared cores: wide margins, never a timing claim.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
