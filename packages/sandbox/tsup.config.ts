import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', html: 'src/html.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  // The version `pasis mcp` reports to its client (cli/mcp-command.ts).
  define: { __PASIS_SANDBOX_VERSION__: JSON.stringify(version) },
});
