import { parseArgs } from 'node:util';
import { configError } from '../config-error.js';
import { HEALTH_TIMEOUT_MS, notASandbox, SandboxApi } from '../mcp/sandbox-api.js';
import { createMcpServer, SANDBOX_TOOLS } from '../mcp/server.js';
import { DEFAULT_SANDBOX_URL } from './replay.js';

declare const __PASIS_SANDBOX_VERSION__: string | undefined;
// Set by tsup from package.json; the sources run under tests have none.
const VERSION = typeof __PASIS_SANDBOX_VERSION__ === 'string' ? __PASIS_SANDBOX_VERSION__ : '0.0.0-source';

const names = (write: boolean) =>
  SANDBOX_TOOLS.filter((t) => t.write === write)
    .map((t) => t.name)
    .join(', ');

/** `pasis mcp --help`. */
export const MCP_HELP = `Usage: pasis mcp [--sandbox <url>] [--allow-write]

A Model Context Protocol server on stdio, for coding agents, over a running sandbox's HTTP
API. It starts only if <url>/_sandbox/health answers like a sandbox: it never drives a real Pasis.

Tools:
  read:   ${names(false)}
  write:  ${names(true)}
          (listed and callable only with --allow-write)

Options:
  --sandbox <url>   the running sandbox (default ${DEFAULT_SANDBOX_URL})
  --allow-write     allow the write tools
  -h, --help        show this help

In a coding agent's MCP configuration (--no: never install a package named pasis instead):
  { "mcpServers": { "pasis-sandbox": { "command": "npx", "args": ["--no", "pasis", "mcp"] } } }
Standard output carries the protocol only; messages go to standard error.
`;

/** The base URL `--sandbox` names: http(s), without a trailing slash. */
function sandboxUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw configError(`--sandbox "${text}" is not a URL: pass the sandbox's, e.g. ${DEFAULT_SANDBOX_URL}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`--sandbox "${text}" must be an http:// or https:// URL, e.g. ${DEFAULT_SANDBOX_URL}.`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * `pasis mcp`: checks that a sandbox answers at `--sandbox` (default `http://127.0.0.1:4010`),
 * then serves MCP on stdio, read-only unless `--allow-write`, until stdin ends or a signal.
 * Resolves with the exit code: 0, or 2 when the URL is not a running sandbox.
 *
 * @example
 * process.exitCode = await mcpCommand(['--sandbox', 'http://127.0.0.1:4010', '--allow-write']);
 */
export async function mcpCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sandbox: { type: 'string', default: DEFAULT_SANDBOX_URL },
      'allow-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(MCP_HELP);
    return 0;
  }
  const base = sandboxUrl(values.sandbox);
  const problem = await notASandbox(base, HEALTH_TIMEOUT_MS);
  if (problem !== undefined) {
    process.stderr.write(
      `pasis mcp: ${base} is not a running Pasis sandbox (${problem}); pasis mcp never drives a real Pasis: start one with \`pasis sandbox\`, or pass --sandbox <url>\n`,
    );
    return 2;
  }
  const allowWrite = values['allow-write'];
  const server = await createMcpServer({ api: new SandboxApi(base), allowWrite, version: VERSION });
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const ended = new Promise<void>((resolve) => {
    // The client closing our stdin is the end of the session.
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  process.stderr.write(
    `pasis mcp: serving the sandbox at ${base} on stdio, ${allowWrite ? 'read and write' : `read-only (--allow-write allows ${names(true)})`}\n`,
  );
  await ended;
  await server.close();
  return 0;
}
