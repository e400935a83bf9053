#!/usr/bin/env node
/**
 * The `pasis` command: `pasis sandbox`, `pasis trigger`, `pasis sign`, `pasis mcp`.
 */
import { reportFailure, UsageError } from './cli/errors.js';
import { mcpCommand } from './cli/mcp-command.js';
import { sandboxCommand } from './cli/sandbox-command.js';
import { signCommand } from './cli/sign-command.js';
import { triggerCommand } from './cli/trigger-command.js';

const HELP = `Usage: pasis <command> [options]

Commands:
  sandbox   run an offline Pasis Checkout (pay page, signed webhooks, dashboard)
  trigger   send a signed event to a URL (custom data, duplicates, unsigned), or replay a delivery
  sign      print the webhook headers for a body read from standard input
  mcp       a Model Context Protocol server on stdio, for coding agents, over a running sandbox

Run \`pasis <command> --help\` for a command's options.
`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  sandbox: sandboxCommand,
  trigger: triggerCommand,
  sign: signCommand,
  mcp: mcpCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    const known = Object.keys(commands).join(', ');
    return reportFailure(undefined, new UsageError(`unknown command "${name}"; the commands are ${known}`));
  }
  try {
    return await command(rest);
  } catch (error) {
    return reportFailure(name, error);
  }
}

const [name] = process.argv.slice(2);
// An error that escapes a command (a timer, a stream) is reported as one line too, never a stack.
process.on('uncaughtException', (error) => {
  process.exitCode = reportFailure(name, error);
  process.exit();
});
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
