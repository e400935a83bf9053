#!/usr/bin/env node
// The Nest webhook path (@pasis/nestjs on platform-express: verify, dedupe, @OnPasisEvent)
// against a bare Nest controller that parses JSON (@Post, @HttpCode(200), @Body), and against the
// least any verifying receiver does, mounted where ours is: on the Express app, ahead of Nest's
// parsers (support/limits.mjs), the limit.
// Same run, same loopback client; servers in their own processes.
import { pathToFileURL } from 'node:url';
import { adapterBenchmark } from './support/load.mjs';

export const run = () =>
  adapterBenchmark({
    name: 'nestjs webhook path (platform-express)',
    baselineName: 'bare Nest controller parsing JSON',
    script: new URL('./support/nestjs-server.mjs', import.meta.url),
    limit: { name: 'hand-written verifying receiver in Nest (platform-express)' },
  });

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
