import { defineProject } from 'vitest/config';
import { pasisAliases, pasisTimeouts } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: pasisAliases },
  test: {
    ...pasisTimeouts,
    name: 'express',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
