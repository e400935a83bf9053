#!/usr/bin/env node
// The Fastify webhook path (@pasis/fastify: raw body, verify, dedupe, handler) against a bare
// Fastify route that only parses the JSON body, and against the least any verifying route
// does (one HMAC, a constant-time compare, JSON.parse), which bounds what is possible.
// Same run, same loopback client; servers in their own processes.
import { pathToFileURL } from 'node:url';
import { adapterBenchmark } from './support/load.mjs';

export const run = () =>
  adapterBenchmark({
    name: 'fastify webhook path',
    baselineName: 'bare Fastify JSON route',
    script: new URL('./support/fastify-server.mjs', import.meta.url),
    limit: { name: 'hand-written verifying Fastify route' },
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
