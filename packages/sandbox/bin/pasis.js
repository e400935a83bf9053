#!/usr/bin/env node
// The `pasis` command. It runs the built CLI (dist/cli.js: always there in the published
// package, and in a checkout after `pnpm build`). In a fresh checkout, before any build, it
// runs the TypeScript sources through tsx instead, with the @pasis/* imports pointed at the
// workspace's sources (tsconfig.sources.json). Either way the CLI runs in this very process,
// so exit codes and signals (Ctrl-C, SIGTERM) are the CLI's own.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write(
      `pasis: ${fileURLToPath(built)} is missing, and tsx (to run the sources) is not installed.\n` +
        'Run `pnpm install` and `pnpm build` in the pasis-node checkout.\n',
    );
    process.exit(1);
  }
  register({ tsconfig: fileURLToPath(new URL('../tsconfig.sources.json', import.meta.url)) });
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
