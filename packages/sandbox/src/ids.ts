import { randomBytes } from 'node:crypto';

/** A random id with a readable prefix: `sess_…`, `app_…`, `dlv_…`. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** An app id in the provider's example shape (`xxxxx-xxxx-xxxx-xxxx-xxxxxxx`). */
export function newAppId(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 5)}-${hex.slice(5, 9)}-${hex.slice(9, 13)}-${hex.slice(13, 17)}-${hex.slice(17, 24)}`;
}
