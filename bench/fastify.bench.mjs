#!/usr/bin/env node
// The Fastify webhook path (@pasis/fastify: raw body, verify, dedupe, handler) against a
// bare Fastify route that only parses the JSON body, same run, same client.
import { pathToFileURL } from 'node:url';
import { generateWebhookSecret } from '@pasis/core/testing';
import { signedDeliveries } from './support/deliveries.mjs';
import { compareThroughput, startServer } from './support/load.mjs';

const REQUESTS = 3_000;
const GOAL = 0.9;

export async function run() {
  const secret = generateWebhookSecret();
  const script = new URL('./support/fastify-server.mjs', import.meta.url);
  const ours = await startServer(script, { side: 'ours', secret });
  const baseline = await startServer(script, { side: 'baseline', secret });
  try {
    const result = await compareThroughput({
      ours,
      baseline,
      path: '/webhook',
      makeRequests: (round, count = REQUESTS) => signedDeliveries(secret, round, count),
    });
    const ratio = result.ours / result.baseline;
    return [
      {
        name: 'fastify webhook path',
        unit: 'req/s',
        ours: result.ours,
        baseline: result.baseline,
        baselineName: 'bare Fastify JSON route',
        ratio: Math.round(ratio * 1000) / 1000,
        goal: '≥ 0.90',
        ok: ratio >= GOAL,
        note: 'every request a distinct signed delivery (the handler really runs); 16 in flight over loopback',
      },
    ];
  } finally {
    await ours.close();
    await baseline.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
