#!/usr/bin/env node
// The Nest webhook path (@pasis/nestjs on platform-express: verify, dedupe, @OnPasisEvent)
// against a bare Nest controller that parses JSON (@Post, @HttpCode(200), @Body).
// Same run, same loopback client; servers in their own processes.
import { pathToFileURL } from 'node:url';
import { adapterBenchmark } from './support/load.mjs';

export const run = () =>
  adapterBenchmark({
    name: 'nestjs webhook path (platform-express)',
    baselineName: 'bare Nest controller parsing JSON',
    script: new URL('./support/nestjs-server.mjs', import.meta.url),
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
