import { expect } from 'vitest';
import { type AppProcess, describeRun, type RunResult, run, userEnv } from './processes.js';

/** What an app's own check is given while the app runs. */
export interface CheckContext {
  url: string;
  /** The app's project directory. */
  dir: string;
  /** The running app, and everything it printed so far. */
  server: AppProcess;
  /** The secret the app was started with. */
  secret: string;
  /** Sends one `session:processed` with the packed `pasis trigger`, signed with `secret`. */
  trigger(sessionId: string, id: string): Promise<RunResult>;
}

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
  /** Anything else the app promises, checked while it runs. */
  check?: (context: CheckContext) => Promise<void>;
}

export const APPS: ConsumerApp[] = [
  {
    name: 'esm-fastify',
    title: 'an ESM TypeScript app (NodeNext, strict) on Fastify 5',
    packages: ['@pasis/core', '@pasis/fastify'],
    build: 'build',
    start: ['dist/main.js'],
    async check({ url }) {
      // An error thrown by the adapter's copy of core, recognised by the app's isPasisError.
      const res = await fetch(`${url}/client`, { signal: AbortSignal.timeout(10_000) });
      expect(await res.json()).toEqual({ configured: false, code: 'config_error' });
      const secret = await fetch(`${url}/secret`, { signal: AbortSignal.timeout(10_000) });
      expect(await secret.json()).toEqual({ fresh: true });
    },
  },
  {
    name: 'cjs-express',
    title: 'a CommonJS app using require on Express 5',
    packages: ['@pasis/core', '@pasis/express'],
    build: 'typecheck',
    start: ['main.cjs'],
    async check({ server, secret, trigger }) {
      // A throwing handler: 500 (Pasis retries), and the default logger says why, with the
      // handler's own message, as a process warning on stderr; never the secret.
      const failed = await trigger('sess_throw_1', 'msg_consumer_throw');
      expect(failed.code, describeRun('pasis trigger (throwing handler)', failed)).toBe(1);
      expect(failed.output).toMatch(/^500 /);
      await server.waitFor(
        /\[PASIS_ERROR\] Warning: Pasis webhook: the session:processed handler failed/,
        10_000,
      );
      expect(server.output()).toContain('Error: orders table is locked for sess_throw_1');
      expect(server.output()).toMatch(
        /deliveryId=msg_consumer_throw, kind=session:processed, sessionId=sess_throw_1/,
      );
      expect(server.output()).not.toContain(secret.slice('whsec_'.length));
    },
  },
  {
    name: 'nest-cjs',
    title: 'a Nest 11 CommonJS app compiled by tsc',
    packages: ['@pasis/core', '@pasis/nestjs'],
    build: 'build',
    start: ['dist/main.js'],
    async check({ dir, secret }) {
      // forRoot({ webhook: false }) beside an @OnPasisEvent handler: refuses to boot, saying why.
      const refused = await run(process.execPath, ['dist/main.js', '--client-only'], {
        cwd: dir,
        env: userEnv({ PORT: '0', PASIS_WEBHOOK_SECRET: secret }),
        timeoutMs: 60_000,
      });
      expect(refused.code, describeRun('node dist/main.js --client-only', refused)).not.toBe(0);
      expect(refused.output).toMatch(
        /@pasis\/nestjs: @OnPasisEvent handlers were found \(OrdersService\.settle\), but PasisModule was given `webhook: false`, so it serves no webhook route and their events could never arrive/,
      );
      expect(refused.output).not.toContain('listening on');
    },
  },
];
