import { PasisError } from './errors.js';

/**
 * The only place the library reads the environment. Each value is read once, when a
 * client or handler is constructed, and only as the documented default of an option.
 */
export type PasisEnvName = 'PASIS_APP_ID' | 'PASIS_WEBHOOK_SECRET' | 'PASIS_BASE_URL';

/** Reads one documented `PASIS_*` default; an empty string counts as unset. */
export function readEnvDefault(name: PasisEnvName): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The provider's production origin (CONTRACT §1). */
export const DEFAULT_BASE_URL = 'https://checkout.pasis.rw';

/** The package named in core's own configuration errors. */
export const CORE_PACKAGE = '@pasis/core';

/**
 * A configuration mistake: a `PasisError('config_error')` whose message starts with the
 * package the mistake was made in (core's, or the adapter or store that passed the options
 * on), so that in a stack of plugins the failing one is obvious. The one helper for every
 * package (`@pasis/core/adapter` exports it); `cause`, when given, is kept on the error.
 *
 * @example
 * throw configError('@pasis/express', 'maxBodyBytes must be a positive integer, got -1.');
 * // PasisError('config_error', '@pasis/express: maxBodyBytes must be a positive integer, got -1.')
 */
export function configError(
  packageName: string,
  message: string,
  options: { cause?: unknown } = {},
): PasisError<'config_error'> {
  return new PasisError(
    'config_error',
    `${packageName}: ${message}`,
    options.cause === undefined ? {} : { cause: options.cause },
  );
}

/** Validates a base URL: absolute http(s), no query or fragment; the trailing slash is dropped. */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(CORE_PACKAGE, `baseUrl must be an absolute http(s) URL, got ${JSON.stringify(raw)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(CORE_PACKAGE, `baseUrl must use http or https, got ${url.protocol}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw configError(CORE_PACKAGE, 'baseUrl must not carry credentials, a query string or a fragment.');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
