// Whether the demo's ports can be listened on, asked before anything starts, so that a taken
// port is one plain sentence naming the flag that changes it, instead of a half-started demo
// and a stack trace.
import { createServer } from 'node:net';

/**
 * Resolves with `undefined` when `host:port` can be listened on now, else with the error code
 * (`EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`, …). The probe closes at once; the port may still
 * be taken by someone else before the real server binds it (the caller handles that too).
 *
 * @example
 * await portProblem(3000, '127.0.0.1'); // undefined, or 'EADDRINUSE' while a shop runs there
 */
export function portProblem(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error.code ?? 'EUNKNOWN'));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

/**
 * The one line for a port that cannot be used, naming the flag that changes it.
 *
 * @example
 * portMessage('the shop', 3000, '127.0.0.1', 'EADDRINUSE', '--shop-port');
 * // 'pnpm demo: port 3000 on 127.0.0.1 (the shop) is already in use: pick another with --shop-port <port>'
 */
export function portMessage(what, port, host, code, flag) {
  const why =
    code === 'EADDRINUSE'
      ? 'is already in use'
      : code === 'SAME_PORT'
        ? "is the shop's port too"
        : code === 'EACCES'
          ? 'needs privileges'
          : `cannot be listened on (${code})`;
  return `pnpm demo: port ${port} on ${host} (${what}) ${why}: pick another with ${flag} <port>`;
}

/**
 * Checks the shop's port, then the sandbox's: resolves with the one line to print for the
 * first that is not a port number, is taken or is the same as the other, else `undefined`.
 *
 * @example
 * await demoPortProblem({ host: '127.0.0.1', shopPort: '3000', sandboxPort: '4010' });
 * // undefined, or 'pnpm demo: port 3000 on 127.0.0.1 (the shop) is already in use: pick another with --shop-port <port>'
 */
export async function demoPortProblem({ host, shopPort, sandboxPort }) {
  const ports = [
    { what: 'the shop', flag: '--shop-port', value: shopPort },
    { what: 'the sandbox', flag: '--sandbox-port', value: sandboxPort },
  ];
  for (const { what, flag, value } of ports) {
    const port = Number(value);
    // 0 (any free port) is refused too: the demo prints fixed URLs.
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return `pnpm demo: ${flag} ${value} is not a port number (1-65535)`;
    }
    const problem =
      what === 'the sandbox' && value === shopPort ? 'SAME_PORT' : await portProblem(port, host);
    if (problem) return portMessage(what, port, host, problem, flag);
  }
  return undefined;
}
