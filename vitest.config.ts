import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.js';

export default defineConfig({
  test: {
    projects,
    // Servers in tests bind to 127.0.0.1:0; the machine has 2 cores.
    maxWorkers: 2,
  },
});
