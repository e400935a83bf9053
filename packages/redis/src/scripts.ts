import { createHash } from 'node:crypto';

/**
 * The store's atomic steps, as Lua run inside Redis. A key holds `claimed:<token>` (with
 * the lease as its TTL) while a worker handles the delivery, then `done` (with the
 * remember-for TTL). Every write after the claim checks the token first, in the same
 * script, so a worker whose lease was taken over cannot touch the new owner's key.
 */
export interface LuaScript {
  source: string;
  sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** ARGV: token, leaseMs → 'claimed' | 'completed' | 'in_progress'. */
export const CLAIM = script(`
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'claimed:' .. ARGV[1], 'PX', ARGV[2])
  return 'claimed'
end
if value == 'done' then return 'completed' end
return 'in_progress'`);

/** ARGV: token, leaseMs → 1 when the lease was extended. */
export const RENEW = script(`
if redis.call('GET', KEYS[1]) == 'claimed:' .. ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`);

/** ARGV: token, doneTtlMs → 1 when marked done. */
export const COMPLETE = script(`
if redis.call('GET', KEYS[1]) == 'claimed:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0`);

/** ARGV: token → 1 when released. */
export const RELEASE = script(`
if redis.call('GET', KEYS[1]) == 'claimed:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

/**
 * The reconciler's lease on one page. KEYS: the page's lease keys; ARGV: owner, leaseMs →
 * the 1-based positions of the keys set now (the others are held by someone).
 */
export const LEASE_PAGE = script(`
local granted = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, ARGV[1], 'NX', 'PX', ARGV[2]) then granted[#granted + 1] = i end
end
return granted`);
