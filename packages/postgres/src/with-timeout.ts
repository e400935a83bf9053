/**
 * `promise`, or a rejection once `ms` passed: a database that stops answering must fail a
 * step (503, retried) rather than hang a delivery. The original promise keeps running; its
 * rejection, if any, is observed here so it never goes unhandled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
