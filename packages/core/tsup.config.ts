import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    adapter: 'src/adapter/index.ts',
    node: 'src/node/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  // The CJS build's `import.meta.url`: lazy-zod.ts requires zod, telemetry/otel-api.ts the
  // optional @opentelemetry/api, both on first use.
  shims: true,
  // The instrumentation scope's version (telemetry/source.ts).
  define: { __PASIS_CORE_VERSION__: JSON.stringify(version) },
});
