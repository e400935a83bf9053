import { configError as namedConfigError } from '@pasis/core/adapter';

/**
 * A configuration mistake, named after this package: core's one `configError`, bound to
 * `@pasis/sandbox` (with the cause, when there is one, kept on the error).
 *
 * @example
 * throw configError(`dataDir ${path} is a file, not a directory.`);
 * // PasisError { code: 'config_error', message: '@pasis/sandbox: dataDir … is a file, not a directory.' }
 */
export function configError(message: string, cause?: unknown) {
  return namedConfigError('@pasis/sandbox', message, { cause });
}
