import { expect } from 'vitest';

/**
 * The fixture apps (under `fixtures/`), each a fresh npm project that installs the
 * tarballs of the `@pasis/*` packages it imports (and, through `tarballsFor`, theirs).
 */
export interface ConsumerApp {
  /** The fixture's directory under `fixtures/`. */
  name: string;
  /** What kind of user it stands for. */
  title: string;
  /** The `@pasis/*` packages it imports itself. */
  packages: string[];
  /** The npm script that type-checks it (and for TypeScript apps, compiles it) with tsc. */
  build: string;
  /** Arguments to `node` that start it; it prints `listening on <url>`. */
  start: string[];
  /** `env`: given PASIS_WEBHOOK_SECRET; `printed`: it generates one and prints it. */
  secret: 'env' | 'printed';
  /** Anything else the app promises, checked while it runs. */
  check?: (url: string) => Promise<void>;
}

export const APPS: ConsumerApp[] = [
  {
    name: 'esm-fastify',
    title: 'an ESM TypeScript app (NodeNext, strict) on Fastify 5',
    packages: ['@pasis/core', '@pasis/fastify'],
    build: 'build',
    start: ['dist/main.js'],
    secret: 'printed',
    async check(url) {
      // An error thrown by the adapter's copy of core, recognised by the app's isPasisError.
      const res = await fetch(`${url}/client`, { signal: AbortSignal.timeout(10_000) });
      expect(await res.json()).toEqual({ configured: false, code: 'config_error' });
    },
  },
  {
    name: 'cjs-express',
    title: 'a CommonJS app using require on Express 5',
    packages: ['@pasis/core', '@pasis/express'],
    build: 'typecheck',
    start: ['main.cjs'],
    secret: 'env',
  },
  {
    name: 'nest-cjs',
    title: 'a Nest 11 CommonJS app compiled by tsc',
    packages: ['@pasis/core', '@pasis/nestjs'],
    build: 'build',
    start: ['dist/main.js'],
    secret: 'env',
  },
];
