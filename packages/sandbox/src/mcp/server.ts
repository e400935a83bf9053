// The low-level Server rather than McpServer: McpServer cannot leave a tool unlisted and still
// answer a call to it in its own words (a disabled tool answers "Tool … disabled"), and a
// read-only `pasis mcp` must say how to allow the write tools.
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { READ_TOOLS } from './read-tools.js';
import type { SandboxApi } from './sandbox-api.js';
import type { SandboxTool } from './tool.js';
import { WRITE_TOOLS } from './write-tools.js';

/** Every tool of `pasis mcp`, the read ones first (CONTRACT §4). */
export const SANDBOX_TOOLS: readonly SandboxTool[] = [...READ_TOOLS, ...WRITE_TOOLS];

/** Options of {@link createMcpServer}. */
export interface McpServerOptions {
  api: SandboxApi;
  /** List and allow the write tools. Default false: read-only. */
  allowWrite?: boolean;
  /** Reported to the client as the server's version. */
  version: string;
}

const writeNames = SANDBOX_TOOLS.filter((t) => t.write).map((t) => t.name);

/**
 * The error a write tool answers in a read-only `pasis mcp`: it names `--allow-write`.
 *
 * @example
 * readOnlyMessage('create_session'); // 'create_session changes the sandbox, … Restart it with --allow-write …'
 */
export function readOnlyMessage(name: string): string {
  return (
    `${name} changes the sandbox, and this pasis mcp is read-only. Restart it with --allow-write ` +
    `(in the MCP configuration: "args": [..., "mcp", "--allow-write"]) to allow ${writeNames.join(', ')}.`
  );
}

const text = (value: string, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: value }],
  ...(isError ? { isError: true } : {}),
});

function definition(tool: SandboxTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: 'input', target: 'draft-7' }) as Tool['inputSchema'],
    annotations: { readOnlyHint: !tool.write, destructiveHint: false, openWorldHint: false },
  };
}

/**
 * An MCP server whose tools call a running sandbox's HTTP API. Without `allowWrite` the write
 * tools are not listed, and calling one answers a tool error naming `--allow-write`. Input is
 * parsed with each tool's zod schema (the control API's own); results are JSON text; a
 * failure is a tool error with the sandbox's message.
 *
 * @example
 * const server = await createMcpServer({ api: new SandboxApi('http://127.0.0.1:4010'), version: '1.0.0' });
 * await server.connect(new StdioServerTransport());
 */
export async function createMcpServer(options: McpServerOptions): Promise<Server> {
  // Loaded here rather than at the top: the SDK takes about 200 ms to load, which every other
  // pasis command (they share one bundle) would pay.
  const [{ Server }, { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError }] =
    await Promise.all([
      import('@modelcontextprotocol/sdk/server/index.js'),
      import('@modelcontextprotocol/sdk/types.js'),
    ]);
  const allowWrite = options.allowWrite ?? false;
  const server = new Server(
    { name: 'pasis-sandbox', title: 'Pasis sandbox', version: options.version },
    {
      capabilities: { tools: {} },
      instructions:
        'Tools over a local, offline Pasis Checkout sandbox (never a real Pasis): checkout sessions, and the ' +
        `signed webhooks it delivers to the shop. ${allowWrite ? 'Read and write.' : `Read-only: ${writeNames.join(', ')} need pasis mcp --allow-write.`}`,
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: SANDBOX_TOOLS.filter((tool) => allowWrite || !tool.write).map(definition),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args } = request.params;
    const tool = SANDBOX_TOOLS.find((t) => t.name === name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
    if (tool.write && !allowWrite) return text(readOnlyMessage(name), true);
    const input = tool.input.safeParse(args ?? {});
    if (!input.success) {
      const issues = input.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
      return text(`Invalid input for ${name}: ${issues.join('; ')}`, true);
    }
    try {
      return text(JSON.stringify(await tool.run(input.data, { api: options.api })));
    } catch (error) {
      return text(error instanceof Error ? error.message : String(error), true);
    }
  });
  return server;
}
