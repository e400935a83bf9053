import { PasisError } from '@pasis/core';

/**
 * A configuration mistake, named after this package so that it is clear where it comes from.
 *
 * @example
 * throw configError(`dataDir ${path} is a file, not a directory.`);
 * // PasisError { code: 'config_error', message: '@pasis/sandbox: dataDir … is a file, not a directory.' }
 */
export function configError(message: string, cause?: unknown): PasisError<'config_error'> {
  return new PasisError('config_error', `@pasis/sandbox: ${message}`, cause === undefined ? {} : { cause });
}
