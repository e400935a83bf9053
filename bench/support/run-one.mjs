#!/usr/bin/env node
// Runs one bench file in this (fresh) process and sends its rows to bench/run.mjs over IPC.
// A fresh process per file and run: no JIT state, heap or pinned cores carry over from one
// benchmark to the next, and a crash costs one file's rows, not the whole run.
import { pathToFileURL } from 'node:url';
import { benchConfig } from './config.mjs';

const file = process.argv[2];
const { quick } = benchConfig();
let message;
try {
  const mod = await import(pathToFileURL(file).href);
  const result = await mod.run();
  const rows = (Array.isArray(result) ? result : [result]).map((row) => (quick ? { ...row, quick } : row));
  message = { rows };
} catch (error) {
  message = { error: String(error?.stack ?? error) };
}
// Exit once the message is out: a bench may leave handles open (pools, timers) that would
// otherwise keep this process, and so the runner, waiting.
if (process.send) process.send(message, () => process.exit(0));
else {
  console.log(JSON.stringify(message));
  process.exit(0);
}
