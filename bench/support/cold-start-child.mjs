// One cold start, in a fresh process: loads one case's modules (ESM `import()` or CJS
// `require`, per argv[3]) and builds its receiver, then prints the milliseconds that took
// and which heavy modules were loaded. What the app loads anyway (the framework) is loaded
// first and not timed: the bench measures what Pasis adds to a cold start.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [, , name, system] = process.argv;
const require = createRequire(import.meta.url);
// zod is not a dependency of the bench: resolved from where @pasis/core finds it.
const coreRequire = createRequire(require.resolve('@pasis/core'));
const zodPath = coreRequire.resolve('zod');
const zodPackage = coreRequire.resolve('zod/package.json');
const zodEsm = new URL(coreRequire(zodPackage).exports['.'].import, pathToFileURL(zodPackage)).pathname;
const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const load = (specifier) =>
  system === 'cjs'
    ? require(specifier)
    : import(specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier);

/** Each case: `before` (untimed, what the app has anyway), then `timed`. */
const cases = {
  zod: { before: [], timed: async () => (await load(system === 'cjs' ? zodPath : zodEsm)).z.object({}) },
  core: {
    before: [],
    timed: async () => (await load('@pasis/core')).createWebhookHandler({ secret, on: {} }),
  },
  express: {
    before: ['express'],
    timed: async () => (await load('@pasis/express')).pasisWebhook({ secret }),
  },
  fastify: {
    before: ['fastify'],
    timed: async (fastify) => {
      const pasis = await load('@pasis/fastify');
      await fastify.register(pasis.default ?? pasis, { webhook: { secret } });
      await fastify.ready();
    },
  },
  // Fastify's own first register() and ready() (avvio's boot, the router, the schema
  // compilers) are most of the case above: the bench subtracts this case, the same app with
  // a plugin of one plain route instead of ours.
  'fastify-bare': {
    before: ['fastify'],
    timed: async (fastify) => {
      await fastify.register(async (child) => {
        child.post('/webhook', async () => ({ ok: true }));
      });
      await fastify.ready();
    },
  },
  nestjs: {
    before: ['reflect-metadata', '@nestjs/common', '@nestjs/core'],
    timed: async () => (await load('@pasis/nestjs')).PasisModule.forRoot({ webhook: { secret } }),
  },
};

const chosen = cases[name];
let app;
for (const specifier of chosen.before) {
  const mod = await load(specifier);
  if (specifier === 'fastify') app = (mod.default ?? mod)({ logger: false });
}
const started = performance.now();
await chosen.timed(app);
const ms = performance.now() - started;
const loaded = Object.keys(require.cache);
process.stdout.write(
  `${JSON.stringify({
    ms,
    zod: loaded.some((f) => f.includes('/zod/') && !f.endsWith('package.json')),
    otel: loaded.some((f) => f.includes('@opentelemetry')),
  })}\n`,
);
process.exit(0);
