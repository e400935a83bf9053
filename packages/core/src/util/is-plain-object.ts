/**
 * Whether `value` is an object that JSON would write as `{…}`: not null, not an array.
 * The first check of every hand-written validator in core (params, the session answer,
 * webhook events), kept in one place so they all draw the line the same way as zod's
 * `z.object()`.
 *
 * @example
 * isPlainObject({ kind: 'session:processed' }); // true
 * isPlainObject([]); // false
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
