#!/usr/bin/env node
// The Nest webhook path on platform-fastify (@pasis/nestjs: verify, dedupe, @OnPasisEvent)
// against a bare Nest controller that takes the parsed JSON body, and against the least any
// verifying receiver does, as the Fastify route ours is too (support/limits.mjs). Like every
// adapter, ours is held to ≥ 0.90 of that limit, by the server's CPU time.
// Same run, same loopback client; servers in their own processes.
import { pathToFileURL } from 'node:url';
import { adapterBenchmark } from './support/load.mjs';

export const run = () =>
  adapterBenchmark({
    name: 'nestjs webhook path (platform-fastify)',
    baselineName: 'bare Nest controller parsing JSON (platform-fastify)',
    script: new URL('./support/nestjs-fastify-server.mjs', import.meta.url),
    limit: { name: 'hand-written verifying receiver in Nest (platform-fastify)' },
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
