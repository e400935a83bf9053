/**
 * What a shop logs about a request that failed: the error's name, code, message and stack,
 * with anything shaped like an e-mail address or a phone number masked, and nothing else of
 * it (a parser's error carries the raw body; a driver's may carry a query's values).
 */

// An address with a real domain (a letter TLD): `fastify@5.12.8` in a stack's path is not one.
const EMAIL = /[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Nine digits or more, single separators allowed: Rwandan numbers (07…, +250 7…) and others,
// not a date (2025-09-11 has eight).
const PHONE = /\+?\d(?:[\s.-]?\d){8,}/g;

/**
 * `text` with e-mail addresses and phone numbers masked.
 *
 * @example
 * maskPersonal('order for a@b.rw, 0780000001'); // 'order for [email], [phone]'
 */
export function maskPersonal(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * The fields of `error` worth logging, masked (see {@link maskPersonal}).
 *
 * @example
 * logger.error('shop: a request failed', { error: loggableError(error) });
 */
export function loggableError(error: unknown): {
  name: string;
  code?: string;
  message: string;
  stack?: string;
} {
  if (!(error instanceof Error)) return { name: typeof error, message: maskPersonal(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' && { code }),
    message: maskPersonal(error.message),
    ...(error.stack !== undefined && { stack: maskPersonal(error.stack) }),
  };
}
