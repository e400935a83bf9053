import { resolveClock, resolveSecrets, resolveTolerance } from './options.js';
import { createVerifier, type VerifyWebhookOptions } from './verifier.js';

// verifyWebhook is called per request with the same secret(s): decoding and validating them
// each time measurably slowed the hot path, so the last few are kept (bounded, never logged).
type Verifier = ReturnType<typeof createVerifier>;
const verifierCache = new Map<string, Verifier>();
const VERIFIER_CACHE_SIZE = 16;
// The last one used, found by identity: a server passes the same secret string every call,
// and comparing it costs less than building and hashing the cache key.
let last: { secret: unknown; toleranceSec: unknown; verifier: Verifier } | undefined;

/**
 * The verifier for `verifyWebhook`'s options: the last one by identity, else one of the last
 * 16 by secret and tolerance, else a new one (a custom clock is never cached).
 */
export function cachedVerifier(options: VerifyWebhookOptions): Verifier {
  const { secret, secrets, toleranceSec, now } = options;
  if (
    last !== undefined &&
    secrets === undefined &&
    now === undefined &&
    secret === last.secret &&
    toleranceSec === last.toleranceSec
  ) {
    return last.verifier;
  }
  if (now !== undefined) {
    return createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec), resolveClock(now));
  }
  // Only well-typed options are cached (a join of anything else could collide).
  const cacheable =
    (secret === undefined || typeof secret === 'string') &&
    (secrets === undefined || (Array.isArray(secrets) && secrets.every((s) => typeof s === 'string'))) &&
    (toleranceSec === undefined || typeof toleranceSec === 'number');
  if (!cacheable) return createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec));
  const cacheKey = `${toleranceSec ?? ''} ${secret ?? ''} ${secrets?.join(' ') ?? ''}`;
  let verifier = verifierCache.get(cacheKey);
  if (verifier === undefined) {
    verifier = createVerifier(resolveSecrets(secret, secrets), resolveTolerance(toleranceSec));
    if (verifierCache.size >= VERIFIER_CACHE_SIZE)
      verifierCache.delete(verifierCache.keys().next().value as string);
    verifierCache.set(cacheKey, verifier);
  }
  if (secrets === undefined) last = { secret, toleranceSec, verifier };
  return verifier;
}
