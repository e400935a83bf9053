import { once } from 'node:events';
import { createServer } from 'node:net';

/**
 * A port free on 127.0.0.1 right now, for a child process that must be told its port
 * before it starts (and for restarting a shop on the same port). In-process servers
 * listen on port 0 instead.
 */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
