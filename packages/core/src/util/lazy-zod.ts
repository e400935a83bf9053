/**
 * zod, loaded the first time it is needed: to explain why an input was refused. The hot
 * paths check their rules by hand (each held to zod's verdict by a property test), so a
 * receiver or a client that only ever sees valid input never loads zod at all, and loading
 * `@pasis/core` costs a fraction of loading zod (bench/cold-start.bench.mjs).
 *
 * A synchronous `require` (through `createRequire`, in the ESM build too) rather than
 * `import()`: `verifyWebhook` and the parsers are synchronous, and their errors carry zod's
 * issues.
 */
import { createRequire } from 'node:module';
import type * as Zod from 'zod';

type ZodNamespace = typeof Zod.z;

let loaded: ZodNamespace | undefined;

/** The `z` namespace, required once. */
export function zod(): ZodNamespace {
  if (loaded === undefined) {
    const required = createRequire(import.meta.url)('zod') as typeof Zod;
    loaded = required.z;
  }
  return loaded;
}

/**
 * A value built from zod on first use and kept: a schema, or a map of schemas.
 *
 * @example
 * const schema = lazySchema((z) => z.object({ id: z.string() }));
 * schema().safeParse(input);
 */
export function lazySchema<T>(build: (z: ZodNamespace) => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build(zod());
      built = true;
    }
    return value as T;
  };
}
