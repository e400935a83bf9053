import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN } from './cli.js';
import type { Json } from './flows.js';

/** A plain HTTP "shop": answers every request with `status`, and keeps what it received. */
export interface Shop {
  url: string;
  /** What it answers next; change it between requests. */
  status: number;
  received: { headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function startShop(status: number): Promise<Shop> {
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    shop.received.push({ headers: req.headers, body });
    res.writeHead(shop.status, { 'content-type': 'text/plain' }).end(`shop says ${shop.status}`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const shop: Shop = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    status,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return shop;
}

/** A scripted MCP client (no model) connected to `pasis mcp …` run from the built CLI. */
export interface McpSession {
  client: Client;
  /** Anything the transport could not read as protocol (a stray line on the server's stdout). */
  errors: Error[];
  stderr(): string;
  /** Calls a tool: its text parsed as JSON when it succeeded, the text itself when it is an error. */
  call(name: string, args?: Json): Promise<{ isError: boolean; text: string; json: Json }>;
  close(): Promise<void>;
}

/** Connects to `pasis mcp <args>`, run from `bin` (default: the workspace's bin over the built CLI). */
export async function connectMcp(args: string[], bin = BIN): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [bin, 'mcp', ...args],
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: 'pasis-mcp-test', version: '0.0.0' });
  const errors: Error[] = [];
  client.onerror = (error) => void errors.push(error);
  await client.connect(transport);
  return {
    client,
    errors,
    stderr: () => stderr,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args });
      const [first] = result.content as { type: string; text: string }[];
      const isError = result.isError === true;
      return { isError, text: first!.text, json: isError ? {} : (JSON.parse(first!.text) as Json) };
    },
    close: () => client.close(),
  };
}

/** Retries `read` every 50 ms until `done` holds, for at most `ms`; resolves with the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
