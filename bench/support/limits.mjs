// The limit of every adapter benchmark: the least any verifying receiver must do, written by
// hand once and mounted on each framework where ours sits. Raw bytes, one HMAC-SHA256, a
// length check and a constant-time compare, JSON.parse, a small JSON answer. No header
// checks, no tolerance, no event validation, no deduplication, no handler: no real receiver
// can do less, so "ours / limit" says how much of what is possible ours reaches.
//
// Where it is mounted matters as much as what it does. @pasis/express, and @pasis/nestjs on
// platform-express, read the request stream themselves ahead of every body parser, so their
// limit does too (a limit behind `express.raw()` or a Nest controller would be slower than
// ours and bound nothing). @pasis/fastify and @pasis/nestjs on platform-fastify use an
// encapsulated Fastify route with a buffer content-type parser, so theirs is that route.
import { createHmac, timingSafeEqual } from 'node:crypto';

const OK = '{"ok":true}';

/** `true` when `body` carries a valid signature; parses it as JSON. */
function verified(key, headers, body) {
  const expected = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.`)
    .update(body)
    .digest();
  const given = Buffer.from(String(headers['webhook-signature']).slice(3), 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  JSON.parse(body.toString('utf8'));
  return true;
}

/** The HMAC key of a `whsec_…` secret. */
export const keyOf = (secret) => Buffer.from(secret.slice('whsec_'.length), 'base64');

/**
 * A Node `(req, res, next)` handler for POST /webhook that reads the stream itself: for
 * Express, and for the Express app under Nest (mounted before Nest adds its parsers).
 */
export function nodeLimit(secret) {
  const key = keyOf(secret);
  return (req, res, next) => {
    if (req.method !== 'POST' || req.url !== '/webhook') return next();
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const ok = verified(key, req.headers, body);
      res.writeHead(ok ? 200 : 401, {
        'content-type': 'application/json',
        'content-length': ok ? OK.length : 2,
      });
      res.end(ok ? OK : '{}');
    });
  };
}

/** The same as an encapsulated Fastify route with a buffer parser, on `fastify`. */
export async function registerFastifyLimit(fastify, secret) {
  const key = keyOf(secret);
  await fastify.register(async (child) => {
    child.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    child.post('/webhook', async (request, reply) =>
      verified(key, request.headers, request.body) ? { ok: true } : reply.code(401).send(),
    );
  });
}
