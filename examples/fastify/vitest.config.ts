import { defineProject } from 'vitest/config';
import { pasisAliases } from '../../vitest.shared.js';

export default defineProject({
  resolve: { alias: pasisAliases },
  test: { name: 'example-fastify', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
