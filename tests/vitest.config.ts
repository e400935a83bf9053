import swc from 'unplugin-swc';
import { defineProject } from 'vitest/config';
import { pasisAliases } from '../vitest.shared.js';

export default defineProject({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: pasisAliases },
  test: {
    name: 'e2e',
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
