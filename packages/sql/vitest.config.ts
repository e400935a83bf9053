import { defineProject } from 'vitest/config';
import { pasisAliases, pasisTimeouts } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: pasisAliases },
  test: {
    ...pasisTimeouts,
    name: 'sql',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../scripts/lib/test-servers.mjs', 'src/test-support/prisma/generate.mjs'],
    // PGlite compiles its WASM on start, Prisma loads its query compiler: seconds on a loaded 2-core machine.
    hookTimeout: 60_000,
    testTimeout: 60_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] },
  },
});
