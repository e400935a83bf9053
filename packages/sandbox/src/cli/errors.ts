import { isPasisError } from '@pasis/core';

/**
 * A mistake in the command line, or in what it points at, that the caller fixes with a
 * flag: one line on standard error, exit code 2.
 *
 * @example
 * throw new UsageError('--to is required');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** How `pasis` reports an error: one line, and its exit code. */
export interface CliFailure {
  /** What is wrong and how to fix it, on one line, without the `pasis <command>:` prefix. */
  message: string;
  /** 2 for a usage or configuration mistake, 1 for anything else. */
  exitCode: 1 | 2;
}

// node:util parseArgs says "Unknown option '--nope'. To specify a positional argument…":
// the option is what matters.
function fromParseArgs(error: Error & { code: string }): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '');
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${option}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return quoted.endsWith('<value>') ? `${option} needs a value` : `${option} takes no value`;
    default:
      return error.message;
  }
}

/**
 * The one line and the exit code for an error thrown by a command. A `config_error` from the
 * library loses its `@pasis/sandbox:` prefix (the line already says `pasis <command>:`).
 *
 * @example
 * describeFailure(new UsageError('--to is required')); // { message: '--to is required', exitCode: 2 }
 */
export function describeFailure(error: unknown): CliFailure {
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
  if (error instanceof UsageError) return { message: oneLine(error.message), exitCode: 2 };
  if (isPasisError(error, 'config_error')) {
    return { message: oneLine(error.message.replace(/^@pasis\/[a-z-]+: /, '')), exitCode: 2 };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return { message: fromParseArgs(error as Error & { code: string }), exitCode: 2 };
  }
  return { message: oneLine(error instanceof Error ? error.message : String(error)), exitCode: 1 };
}

/**
 * Writes the two lines of a failed `pasis <command>` to standard error and returns its exit
 * code: `pasis sandbox: <what is wrong>` and where the options are.
 *
 * @example
 * process.exitCode = reportFailure('sandbox', error);
 */
export function reportFailure(command: string | undefined, error: unknown): 1 | 2 {
  const { message, exitCode } = describeFailure(error);
  const who = command === undefined ? 'pasis' : `pasis ${command}`;
  const what = command === undefined ? 'the commands' : 'the options';
  process.stderr.write(`${who}: ${message}\nRun \`${who} --help\` for ${what}.\n`);
  return exitCode;
}

/**
 * Why `listen` failed, as the flag that fixes it: a taken port names `--port`, an address
 * that is not this machine's names `--host`. Anything else is returned as it was.
 *
 * @example
 * throw listenFailure(error, 4010, '127.0.0.1'); // UsageError: port 4010 on 127.0.0.1 is taken …
 */
export function listenFailure(error: unknown, port: number, host: string): unknown {
  switch ((error as NodeJS.ErrnoException | null)?.code) {
    case 'EADDRINUSE':
      return new UsageError(
        `port ${port} on ${host} is taken (another sandbox, or another program, listens there): ` +
          'stop it, or pass --port <n> (--port 0 picks a free one)',
      );
    case 'EACCES':
      return new UsageError(
        `port ${port} needs privileges this user lacks: pass --port 1024 or above (--port 0 picks a free one)`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UsageError(
        `--host ${host} is not an address of this machine: pass --host 127.0.0.1 (the default), or another local address`,
      );
    default:
      return error;
  }
}
