import { CORE_PACKAGE } from '../config.js';
import { isPasisError, PasisError } from '../errors.js';

const CORE_PREFIX = `${CORE_PACKAGE}: `;

/**
 * Runs `build` and re-raises core's configuration errors as the adapter's own: the
 * `@pasis/core: ` at the start of the message becomes `<packageName>: `, so that in a stack
 * of plugins the one that was misconfigured is named. Any other error passes untouched.
 *
 * @example
 * const client = withPackageName('@pasis/koa', () => createPasisClient({ appId }));
 * // PasisError('config_error', '@pasis/koa: appId must be a non-empty string.')
 */
export function withPackageName<T>(packageName: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw renamePackage(error, packageName);
  }
}

/** {@link withPackageName} for one error already caught. */
export function renamePackage(error: unknown, packageName: string): unknown {
  if (!isPasisError(error, 'config_error') || !error.message.startsWith(CORE_PREFIX)) return error;
  return new PasisError('config_error', `${packageName}: ${error.message.slice(CORE_PREFIX.length)}`);
}

/** The message of a configuration error without its package prefix. */
export function withoutPackage(message: string): string {
  return message.replace(/^@pasis\/[\w-]+: /, '');
}
