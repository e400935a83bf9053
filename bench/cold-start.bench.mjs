#!/usr/bin/env node
// Cold start: what loading the webhook receiver costs a fresh process (a serverless cold
// start), against loading zod alone, ESM and CJS both. Each sample is its own process
// (support/cold-start-child.mjs): it loads first, untimed, what the app has anyway (the
// framework), then times loading @pasis/core and the adapter and building the receiver.
// Cases and module systems alternate, so a slow moment hits every case alike; medians.
// The receiver must load neither zod nor @opentelemetry/api (nothing is registered here):
// a row where it does is not ok, whatever its time.
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { benchConfig } from './support/config.mjs';
import { median, spreadOf } from './support/load.mjs';

const CHILD = new URL('./support/cold-start-child.mjs', import.meta.url).pathname;
const GOAL = 0.3;
const RECEIVERS = {
  core: '@pasis/core: createWebhookHandler',
  express: '@pasis/express: pasisWebhook()',
  fastify: '@pasis/fastify: registered (app ready, less a bare app ready)',
  nestjs: '@pasis/nestjs: PasisModule.forRoot()',
};

function sample(name, system) {
  const out = execFileSync(process.execPath, [CHILD, name, system], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out.trim().split('\n').at(-1));
}

export async function run() {
  const config = benchConfig();
  const samples = config.rounds(15);
  const names = ['zod', 'fastify-bare', ...Object.keys(RECEIVERS)];
  const results = {};
  for (const system of ['esm', 'cjs']) for (const name of names) results[`${name} ${system}`] = [];
  for (let i = 0; i < samples; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const system of i % 2 === 0 ? ['esm', 'cjs'] : ['cjs', 'esm']) {
      for (const name of order) results[`${name} ${system}`].push(sample(name, system));
    }
  }
  const rows = [];
  for (const system of ['esm', 'cjs']) {
    const zod = results[`zod ${system}`].map((s) => s.ms);
    for (const [name, label] of Object.entries(RECEIVERS)) {
      const got = results[`${name} ${system}`];
      // Fastify: what the plugin adds to the app's first ready(), per sample.
      const bare = name === 'fastify' ? median(results[`fastify-bare ${system}`].map((s) => s.ms)) : 0;
      const ms = got.map((s) => s.ms - bare);
      const loadedZod = got.some((s) => s.zod);
      const loadedOtel = got.some((s) => s.otel);
      const ratio = median(ms) / median(zod);
      rows.push({
        name: `cold start, ${system.toUpperCase()}: ${label}`,
        unit: 'ms',
        ours: median(ms),
        baseline: median(zod),
        baselineName: `zod alone (${system.toUpperCase()})`,
        ratio: Math.round(ratio * 1000) / 1000,
        goal: `≤ ${GOAL.toFixed(2)}, loads neither zod nor @opentelemetry/api`,
        ok: ratio <= GOAL && !loadedZod && !loadedOtel,
        spread: { ours: spreadOf(ms), zod: spreadOf(zod) },
        note:
          `median of ${samples} fresh processes each; ${loadedZod ? 'LOADED zod' : 'zod not loaded'}, ` +
          `${loadedOtel ? 'LOADED @opentelemetry/api' : '@opentelemetry/api not loaded'}`,
        ...(config.quick ? { quick: true } : {}),
      });
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
