/**
 * Whether a value is a promise (or any thenable): what core must await. Stores and
 * handlers may answer synchronously, and awaiting a plain value would still cost a turn
 * of the microtask queue on every delivery.
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null | undefined)?.then === 'function';
}
