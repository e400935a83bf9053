// What a benchmark server script needs from the harness: the data it was started with
// (`side`, `secret`) and a way to say it is listening. Servers run in child processes.
/** `{ side, secret }`, as passed to `startServer`. */
export const serverData = JSON.parse(process.env.PASIS_BENCH_SERVER ?? '{}');

// The harness gone (it crashed, or the runner killed it after its timeout): no one will ever
// close this server, so it goes too instead of holding a port and a core.
process.on('disconnect', () => process.exit(0));

/** Tells the harness the server listens on `port`. */
export function ready(port) {
  process.send({ port });
}
