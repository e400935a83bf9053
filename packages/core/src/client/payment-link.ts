/**
 * The `payment_link` Pasis answers with is where a shop sends its customer's browser (a 303's
 * `Location`), so the client hands it on only in a form that cannot mislead: parsed, and
 * normalised to the parsed URL's `href`. One with a control character is refused outright:
 * the URL parser silently drops tabs and newlines (`https://checkout.pasis.rw\t.evil.example/`
 * parses as a host under evil.example), and a CR or LF in a header breaks the shop's answer.
 */
import { PasisError } from '../errors.js';
import { isPlainObject } from '../util/is-plain-object.js';

// C0 controls (tab, CR, LF, NUL, …) and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is looked for
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The normalised form of an http(s) URL with a host (the parsed URL's `href`), or
 * `undefined` when `value` is not one.
 *
 * @example
 * httpUrlHref('HTTPS://Checkout.Pasis.RW:443/pay/sess 1'); // 'https://checkout.pasis.rw/pay/sess%201'
 */
export function httpUrlHref(value: string): string | undefined {
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.hostname === '' ? undefined : url.href;
  } catch {
    return undefined;
  }
}

/**
 * Throws `unsafe_payment_link` when a parsed answer's `payment_link` holds a control
 * character; checked before any other rule, since parsing would hide it. The link is never
 * quoted.
 *
 * @example
 * refuseUnsafePaymentLink(JSON.parse(body), 200); // throws for "https://pasis.rw\t.evil.example/"
 */
export function refuseUnsafePaymentLink(json: unknown, status: number, idempotencyKey?: string): void {
  if (!isPlainObject(json)) return;
  const link = json.payment_link;
  if (typeof link !== 'string' || !CONTROL_CHARACTER.test(link)) return;
  throw new PasisError(
    'unsafe_payment_link',
    `Pasis answered HTTP ${status} with a payment_link holding a control character (a tab, CR, LF, …); it was refused, since a browser would be sent elsewhere than it reads.`,
    { status, idempotencyKey },
  );
}
