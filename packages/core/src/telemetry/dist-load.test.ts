/**
 * The built package (`dist/`, ESM and CJS) in plain Node child processes: where
 * `@opentelemetry/api` cannot be resolved at all it loads and answers deliveries; where it
 * can, with a provider registered, both builds find it and record spans (the CJS build
 * through tsup's `import.meta.url` shim); while nothing is registered the API is not even loaded.
 * Needs `pnpm --filter @pasis/core build` first;
 * the root `pnpm test` builds.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const coreDir = fileURLToPath(new URL('../..', import.meta.url));
const dist = join(coreDir, 'dist');
const dirs: string[] = [];

beforeAll(() => {
  for (const file of ['index.js', 'index.cjs', 'testing.js', 'testing.cjs']) {
    if (!existsSync(join(dist, file))) {
      throw new Error(`${join(dist, file)} is missing: run \`pnpm --filter @pasis/core build\` first.`);
    }
  }
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// pnpm's bin shims (vitest is started through one) put the store's hoisted node_modules on
// NODE_PATH: through it, anything in the workspace would resolve. The children resolve as an app would.
const { NODE_PATH: _, ...env } = process.env;

function run(dir: string, file: string, source: string): unknown {
  writeFileSync(join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env }));
}

// Signs and handles one paid delivery with the given copy of core; resolves with the status.
const DELIVER = `
  const secret = testing.generateWebhookSecret();
  let handled = 0;
  const webhooks = core.createWebhookHandler({ secret, logger: core.silentLogger, on: { 'session:processed': () => void handled++ } });
  const event = { kind: 'session:processed', session_id: 'sess_1', amount: 5000, status: 'success' };
  const answer = await webhooks.handle(testing.signWebhook(event, { secret }));
  const client = core.createPasisClient({ appId: 'app_1', baseUrl: 'http://127.0.0.1:9/' });
`;

it('loads and answers deliveries, ESM and CJS, where @opentelemetry/api is not installed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-no-otel-'));
  dirs.push(dir);
  const pkg = join(dir, 'node_modules', '@pasis', 'core');
  mkdirSync(pkg, { recursive: true });
  cpSync(dist, join(pkg, 'dist'), { recursive: true });
  cpSync(join(coreDir, 'package.json'), join(pkg, 'package.json'));
  for (const dep of ['zod']) {
    symlinkSync(realpathSync(join(coreDir, 'node_modules', dep)), join(dir, 'node_modules', dep), 'dir');
  }
  const probe = `(() => { try { require.resolve('@opentelemetry/api'); return true; } catch { return false; } })()`;
  const cjs = run(
    dir,
    'check.cjs',
    `(async () => {
      const core = require('@pasis/core');
      const testing = require('@pasis/core/testing');
      ${DELIVER}
      console.log(JSON.stringify({ resolvable: ${probe}, status: answer.status, handled, client: typeof client.checkout.sessions.create }));
    })();`,
  );
  const esm = run(
    dir,
    'check.mjs',
    `import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const core = await import('@pasis/core');
      const testing = await import('@pasis/core/testing');
      ${DELIVER}
      console.log(JSON.stringify({ resolvable: ${probe}, status: answer.status, handled, client: typeof client.checkout.sessions.create }));`,
  );
  const expected = { resolvable: false, status: 200, handled: 1, client: 'function' };
  expect(cjs).toEqual(expected);
  expect(esm).toEqual(expected);
});

it('finds the API from both builds and records spans once a provider is registered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-otel-'));
  dirs.push(dir);
  // From core's folder, where the API and the SDK (devDependencies) resolve.
  const fromCore = JSON.stringify(join(coreDir, 'package.json'));
  const result = run(
    dir,
    'spans.mjs',
    `import { createRequire } from 'node:module';
      const require = createRequire(${fromCore});
      const { trace } = require('@opentelemetry/api');
      const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
      const exporter = new InMemorySpanExporter();
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      const names = {};
      for (const [build, load] of [
        ['cjs', async () => [require(${JSON.stringify(join(dist, 'index.cjs'))}), require(${JSON.stringify(join(dist, 'testing.cjs'))})]],
        ['esm', async () => [await import(${JSON.stringify(join(dist, 'index.js'))}), await import(${JSON.stringify(join(dist, 'testing.js'))})]],
      ]) {
        const [core, testing] = await load();
        ${DELIVER}
        names[build] = exporter.getFinishedSpans().map((s) => [s.name, s.instrumentationScope.name, s.instrumentationScope.version]);
        exporter.reset();
      }
      console.log(JSON.stringify(names));`,
  );
  const version = JSON.parse(
    execFileSync(process.execPath, ['-p', `JSON.stringify(require(${fromCore}).version)`], {
      encoding: 'utf8',
    }),
  );
  const span = ['pasis.webhook session:processed', '@pasis/core', version];
  expect(result).toEqual({ cjs: [span], esm: [span] });
});

it('does not load the API while nothing is registered, and finds a provider registered later', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-otel-late-'));
  dirs.push(dir);
  const fromCore = JSON.stringify(join(coreDir, 'package.json'));
  const result = run(
    dir,
    'late.cjs',
    `(async () => {
      const { createRequire } = require('node:module');
      const fromCore = createRequire(${fromCore});
      const loaded = () => Object.keys(require.cache).some((f) => f.includes('@opentelemetry'));
      const core = require(${JSON.stringify(join(dist, 'index.cjs'))});
      const testing = require(${JSON.stringify(join(dist, 'testing.cjs'))});
      ${DELIVER}
      const before = { loaded: loaded(), status: answer.status };
      const { trace } = fromCore('@opentelemetry/api');
      const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = fromCore('@opentelemetry/sdk-trace-base');
      const exporter = new InMemorySpanExporter();
      trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      const event2 = { kind: 'session:processed', session_id: 'sess_2', amount: 5000, status: 'success' };
      const later = await webhooks.handle(testing.signWebhook(event2, { secret }));
      console.log(JSON.stringify({ before, after: { status: later.status, spans: exporter.getFinishedSpans().length, handled } }));
    })();`,
  );
  expect(result).toEqual({
    before: { loaded: false, status: 200 },
    after: { status: 200, spans: 1, handled: 2 },
  });
});
