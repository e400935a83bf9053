#!/usr/bin/env node
// The Express webhook path (@pasis/express: raw body, verify, dedupe, handler) against a bare
// Express route that only does express.raw() + JSON.parse, and against the least any verifying
// receiver does, reading the stream itself as ours does (support/limits.mjs): what is possible.
// Same run, same loopback client; servers in their own processes.
import { pathToFileURL } from 'node:url';
import { adapterBenchmark } from './support/load.mjs';

export const run = () =>
  adapterBenchmark({
    name: 'express webhook path',
    baselineName: 'express.raw() + JSON.parse',
    script: new URL('./support/express-server.mjs', import.meta.url),
    limit: { name: 'hand-written verifying Express route' },
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
