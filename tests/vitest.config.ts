import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';
import { pasisAliases } from '../vitest.shared.js';

export default defineProject({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: pasisAliases },
  test: {
    name: 'e2e',
    // The Nest shop's Prisma client (its data layer), generated offline before its sources load.
    globalSetup: ['../examples/nestjs/prisma/generate.mjs'],
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
