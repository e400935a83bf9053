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
 * One header's value, case-insensitively; repeated values are joined the way Node joins
 * repeated header lines (`, `). Returns `undefined` when the header is absent.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value.join(', ') : value;
}
