/**
 * `promise` (or a value), or a rejection once `ms` passed: a store's backend that stops
 * answering must fail its step (the delivery is answered 503 and retried) rather than hang
 * a request, and a test's store must fail with a clear message rather than the runner's
 * generic timeout. The original promise keeps running; its rejection, if any, is observed
 * here so that it never goes unhandled.
 *
 * @example
 * const rows = await withTimeout(client.query(sql), 2_000, '@pasis/postgres: PostgreSQL');
 * // rejects with Error('@pasis/postgres: PostgreSQL did not answer within 2000 ms')
 */
export function withTimeout<T>(promise: PromiseLike<T> | T, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  const settling = Promise.resolve(promise);
  settling.catch(() => {});
  return Promise.race([settling, timeout]).finally(() => clearTimeout(timer));
}
