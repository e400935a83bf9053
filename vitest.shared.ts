import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./packages/${path}`, import.meta.url));
const example = (path: string) => fileURLToPath(new URL(`./examples/${path}`, import.meta.url));

/**
 * Tests import the workspace packages from their sources, so a change in core is seen by
 * every adapter's tests without a rebuild. Tests that need the built output (the
 * ESM + CJS dual-package check, the CLI binary) import from `dist/` explicitly.
 */
export const pasisAliases = [
  { find: /^@pasis\/core\/testing$/, replacement: src('core/src/testing/index.ts') },
  { find: /^@pasis\/core\/node$/, replacement: src('core/src/node/index.ts') },
  { find: /^@pasis\/core\/adapter$/, replacement: src('core/src/adapter/index.ts') },
  { find: /^@pasis\/core$/, replacement: src('core/src/index.ts') },
  { find: /^@pasis\/express$/, replacement: src('express/src/index.ts') },
  { find: /^@pasis\/fastify$/, replacement: src('fastify/src/index.ts') },
  { find: /^@pasis\/nestjs$/, replacement: src('nestjs/src/index.ts') },
  { find: /^@pasis\/postgres$/, replacement: src('postgres/src/index.ts') },
  { find: /^@pasis\/sql$/, replacement: src('sql/src/index.ts') },
  { find: /^@pasis\/redis$/, replacement: src('redis/src/index.ts') },
  { find: /^@pasis\/sandbox\/html$/, replacement: src('sandbox/src/html.ts') },
  { find: /^@pasis\/sandbox$/, replacement: src('sandbox/src/index.ts') },
  { find: /^@pasis\/example-shop-kit$/, replacement: example('shop-kit/src/index.ts') },
];

/**
 * Every project's timeouts: a project config does not inherit the root's `test` options, so
 * each spreads these. Bounds for a loaded 2-core machine, not speed claims.
 */
export const pasisTimeouts = { testTimeout: 20_000, hookTimeout: 30_000 };
