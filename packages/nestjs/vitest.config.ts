import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';
import { pasisAliases, pasisTimeouts } from '../../vitest.shared.js';

export default defineProject({
  // Nest's dependency injection needs decorator metadata, which esbuild does not emit.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: pasisAliases },
  test: {
    ...pasisTimeouts,
    name: 'nestjs',
    // The transactional tests run on a real PostgreSQL: started here when none is given.
    globalSetup: ['../../scripts/lib/test-servers.mjs'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
