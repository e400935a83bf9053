#!/usr/bin/env node
// The Express webhook path (@pasis/express: raw body, verify, dedupe, handler) against a
// bare Express route that only does express.raw() + JSON.parse, same run, same client.
import { pathToFileURL } from 'node:url';
import { generateWebhookSecret } from '@pasis/core/testing';
import { signedDeliveries } from './support/deliveries.mjs';
import { compareThroughput, startServer } from './support/load.mjs';

const REQUESTS = 3_000;
const GOAL = 0.9;

export async function run() {
  const secret = generateWebhookSecret();
  const script = new URL('./support/express-server.mjs', import.meta.url);
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
        name: 'express webhook path',
        unit: 'req/s',
        ours: result.ours,
        baseline: result.baseline,
        baselineName: 'express.raw() + JSON.parse',
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
