import { defineProject } from 'vitest/config';
import { pasisAliases, pasisTimeouts } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: pasisAliases },
  test: {
    ...pasisTimeouts,
    name: 'postgres',
    include: ['src/**/*.test.ts'],
    // PGlite compiles its WASM on start: seconds on a loaded 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
  },
});
