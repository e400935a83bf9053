/**
 * Webhook requests arrive with Node's header object (lower-case names, `string[]` for
 * repeated headers), a plain object in any case, or a Fetch `Headers`.
 */
export type HeaderSource =
  | Headers
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined>;

/** The three Standard Webhooks headers (CONTRACT §3). */
export const WEBHOOK_ID = 'webhook-id';
export const WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE = 'webhook-signature';

/**
 * A header that is present but is not text: `null` is absent, but a number, a Buffer or an
 * object in a hand-built header object is malformed, never read as `"42"` or `"[object
 * Object]"`.
 */
export const NOT_TEXT: unique symbol = Symbol('pasis.header.not-text');

function asText(value: unknown): string | undefined | typeof NOT_TEXT {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  // Repeated lines, as Node keeps some headers: joined the way Node joins the others.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return NOT_TEXT;
}

function lookup(headers: object, name: string): unknown {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): unknown }).get(name);
  }
  const record = headers as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === name) return record[key];
  }
  return undefined;
}

/**
 * One header's value, case-insensitively; repeated values are joined the way Node joins
 * repeated header lines (`, `). `undefined` when absent (or `null`), {@link NOT_TEXT} when
 * present but not text. Never throws: a header source that is not an object, or a getter
 * that throws, reads as absent.
 */
export function readHeader(headers: unknown, name: string): string | undefined | typeof NOT_TEXT {
  if (typeof headers !== 'object' || headers === null) return undefined;
  try {
    return asText(lookup(headers, name));
  } catch {
    return undefined;
  }
}
