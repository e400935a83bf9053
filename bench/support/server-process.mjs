// What a benchmark server script needs from the harness: the data it was started with
// (`side`, `secret`) and a way to say it is listening. Servers run in child processes.
/** `{ side, secret }`, as passed to `startServer`. */
export const serverData = JSON.parse(process.env.PASIS_BENCH_SERVER ?? '{}');

/** Tells the harness the server listens on `port`. */
export function ready(port) {
  process.send({ port });
}
