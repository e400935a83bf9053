import { Console } from 'node:console';
import type { SandboxLogger } from '../logger.js';
import type { SandboxApp } from '../model.js';

/**
 * The three `KEY=value` lines of `pasis sandbox --print-env`, in the order a `.env` file
 * lists them.
 *
 * @example
 * envLines('http://127.0.0.1:4010', app);
 * // 'PASIS_BASE_URL=http://127.0.0.1:4010\nPASIS_APP_ID=app_…\nPASIS_WEBHOOK_SECRET=whsec_…\n'
 */
export function envLines(url: string, app: Pick<SandboxApp, 'app_id' | 'webhook_secret'>): string {
  return `PASIS_BASE_URL=${url}\nPASIS_APP_ID=${app.app_id}\nPASIS_WEBHOOK_SECRET=${app.webhook_secret}\n`;
}

/** Where `pasis sandbox` writes its request log, its banner and (with `--print-env`) the env lines. */
export interface SandboxOutput {
  logger: SandboxLogger;
  /** The startup banner and the goodbye line. */
  banner(text: string): void;
  /** Called once the port is bound, before the first request is answered. */
  printEnv(url: string, app: Pick<SandboxApp, 'app_id' | 'webhook_secret'>): void;
}

/**
 * Without `--print-env` (the default) everything goes to stdout, as it always did. With it,
 * stdout carries the three env lines and nothing else, so `pasis sandbox --print-env > .env`
 * or `| head -3` reads exactly them; the banner and the request log go to stderr.
 *
 * @example
 * const output = sandboxOutput(values['print-env']);
 * createSandbox({ logger: output.logger });
 */
export function sandboxOutput(printEnv: boolean): SandboxOutput {
  if (!printEnv) {
    return { logger: console, banner: (text) => void process.stdout.write(text), printEnv: () => {} };
  }
  // A reader that has gone (`| head -3` exits after the third line) must not stop the sandbox.
  process.stdout.on('error', () => {});
  return {
    logger: new Console({ stdout: process.stderr, stderr: process.stderr }),
    banner: (text) => void process.stderr.write(text),
    // Synchronous for a file or a pipe: the lines are out before the first request is served,
    // so once GET /_sandbox/health answers, a `> .env` file is complete.
    printEnv: (url, app) => void process.stdout.write(envLines(url, app)),
  };
}
