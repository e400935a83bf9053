// What a benchmark server script needs from the harness: the data it was started with
// (`side`, `secret`) and a way to say it is listening. Servers run in child processes.
/** `{ side, secret }`, as passed to `startServer`. */
export const serverData = JSON.parse(process.env.PASIS_BENCH_SERVER ?? '{}');

// The harness gone (it crashed, or the runner killed it after its timeout): no one will ever
// close this server, so it goes too instead of holding a port and a core.
process.on('disconnect', () => process.exit(0));

// The server's own CPU time (every thread of this process, user + system, in µs), read by the
// harness before and after each measured round: requests per CPU-second of the server is what
// the adapter rows judge, since on a loaded machine the client often sets the pace.
process.on('message', (message) => {
  if (message?.cpu !== undefined) {
    const { user, system } = process.cpuUsage();
    process.send({ cpu: message.cpu, user, system });
  }
});

/** Tells the harness the server listens on `port`. */
export function ready(port) {
  process.send({ port });
}
