import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';
import { verifyWebhook } from './verify.js';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const secret = generateWebhookSecret();
const NOW = 1_800_000_000;
const now = () => NOW * 1000;
const event = createTestEvent();
const signed = (
  payload: object | string = event,
  over: { id?: string; timestamp?: number; secret?: string } = {},
) =>
  signWebhook(payload, {
    secret: over.secret ?? secret,
    id: over.id ?? 'msg_1',
    timestamp: over.timestamp ?? NOW,
  });

/** A handler with a counting handler, on a fixed clock. */
function receiver(options: Parameters<typeof createWebhookHandler>[0] = {}) {
  const handler = vi.fn();
  const webhooks = createWebhookHandler({ secret, now, logger: silentLogger, on: handler, ...options });
  const send = async (body: unknown, headers: Record<string, string | string[]>) => {
    const answer = await webhooks.handle({ body, headers });
    return {
      status: answer.status,
      code: (JSON.parse(answer.body) as { error?: { code: string } }).error?.code,
      answer,
    };
  };
  return { handler, webhooks, send };
}

describe('the Standard Webhooks test vector', () => {
  it('verifies, and signWebhook reproduces it byte for byte', () => {
    const { headers, body } = signWebhook(VECTOR.body, {
      secret: VECTOR.secret,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    expect(body).toBe(VECTOR.body);
    expect(headers['webhook-signature']).toBe(VECTOR.signature);
    const vectorHeaders = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    const at = () => VECTOR.timestamp * 1000;
    // The signature checks out; only then does the body fail as a Pasis event (it has no kind).
    expect(() =>
      verifyWebhook({ body: VECTOR.body, headers: vectorHeaders, secret: VECTOR.secret, now: at }),
    ).toThrow(expect.objectContaining({ code: 'invalid_event' }));
    // One byte off in the signature, and it is a signature failure instead.
    const forged = { ...vectorHeaders, 'webhook-signature': VECTOR.signature.replace('g0h', 'g1h') };
    expect(() =>
      verifyWebhook({ body: VECTOR.body, headers: forged, secret: VECTOR.secret, now: at }),
    ).toThrow(expect.objectContaining({ code: 'no_matching_signature' }));
  });
});

describe('headers', () => {
  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'missing or empty %s → 400 missing_header',
    async (name) => {
      const { send, handler } = receiver();
      const { body, headers } = signed();
      const without = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
      expect(await send(body, without)).toMatchObject({ status: 400, code: 'missing_header' });
      expect(await send(body, { ...headers, [name]: '' })).toMatchObject({
        status: 400,
        code: 'missing_header',
      });
      expect(handler).not.toHaveBeenCalled();
    },
  );

  it.each(['hello', '1e9', '-1', `${NOW}abc`, '1'.repeat(25), ' 1800000000', '1800000000.5'])(
    'timestamp %j → 400 malformed_timestamp',
    async (timestamp) => {
      const { send, handler } = receiver();
      const { body, headers } = signed();
      expect(await send(body, { ...headers, 'webhook-timestamp': timestamp })).toMatchObject({
        status: 400,
        code: 'malformed_timestamp',
      });
      expect(handler).not.toHaveBeenCalled();
    },
  );

  it('reads headers in any case, as string[] and from a Fetch Headers', async () => {
    const { body, headers } = signed();
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]]));
    expect(verifyWebhook({ body, headers: upper, secret, now })).toMatchObject({ session_id: 'sess_1' });
    expect(verifyWebhook({ body, headers: new Headers(headers), secret, now })).toMatchObject({
      session_id: 'sess_1',
    });
    expect(verifyWebhook({ body: Buffer.from(body), headers, secret, now })).toMatchObject({
      session_id: 'sess_1',
    });
    expect(verifyWebhook({ body: new TextEncoder().encode(body), headers, secret, now })).toMatchObject({
      status: 'success',
    });
  });
});

describe('timestamps', () => {
  it.each([
    [-300, 200, undefined],
    [300, 200, undefined],
    [-301, 401, 'timestamp_too_old'],
    [301, 401, 'timestamp_too_new'],
    [86_400, 401, 'timestamp_too_new'],
  ])('%i s away → %i %s', async (offset, status, code) => {
    const { send, handler } = receiver();
    const { body, headers } = signed(event, { timestamp: NOW + offset });
    expect(await send(body, headers)).toMatchObject({ status, code });
    expect(handler).toHaveBeenCalledTimes(status === 200 ? 1 : 0);
  });
});

describe('signatures', () => {
  const base = signed();
  const good = base.headers['webhook-signature'];
  const cases: [string, Record<string, string>, string][] = [
    ['the id changed after signing', { ...base.headers, 'webhook-id': 'msg_2' }, 'no_matching_signature'],
    [
      'the timestamp changed after signing',
      { ...base.headers, 'webhook-timestamp': String(NOW + 1) },
      'no_matching_signature',
    ],
    ['`v1,`', { ...base.headers, 'webhook-signature': 'v1,' }, 'malformed_signature'],
    [
      'a truncated signature',
      { ...base.headers, 'webhook-signature': good.slice(0, -6) },
      'malformed_signature',
    ],
    [
      'wrong versions only',
      { ...base.headers, 'webhook-signature': `${good.replace('v1,', 'v2,')} ${good.replace('v1,', 'v0,')}` },
      'malformed_signature',
    ],
    [
      'garbage entries',
      { ...base.headers, 'webhook-signature': 'garbage ,,, v1 v1,%%%% =' },
      'malformed_signature',
    ],
    [
      'a non-ASCII signature of normal length',
      { ...base.headers, 'webhook-signature': `v1,${'é'.repeat(43)}=` },
      'malformed_signature',
    ],
    [
      'a valid-looking signature of another secret',
      signed(event, { secret: generateWebhookSecret() }).headers,
      'no_matching_signature',
    ],
  ];
  it.each(cases)('%s → 401', async (_, headers, code) => {
    const { send, handler } = receiver();
    expect(await send(base.body, headers)).toMatchObject({ status: 401, code });
    expect(handler).not.toHaveBeenCalled();
  });

  it.each([
    ['first', `${good} v1,${'A'.repeat(43)}= v2,xyz`],
    ['middle', `junk v1,${'B'.repeat(43)}= ${good} v1,zzz`],
    ['last', `v1,${'C'.repeat(43)}= nonsense ${good}`],
  ])('finds the valid signature %s among junk', async (_, header) => {
    const { send, handler } = receiver();
    expect((await send(base.body, { ...base.headers, 'webhook-signature': header })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('rejects a one-byte body change', async () => {
    const { send, handler } = receiver();
    expect(await send(base.body.replace('5000', '5001'), base.headers)).toMatchObject({
      status: 401,
      code: 'no_matching_signature',
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('handles a 16 KB signature header (every entry tried, bounded work)', async () => {
    const { send, handler } = receiver();
    const junk = Array.from({ length: 370 }, (_, i) => `v1,${String(i).padStart(43, 'x')}=`).join(' ');
    expect(junk.length).toBeGreaterThan(16_000);
    expect(await send(base.body, { ...base.headers, 'webhook-signature': junk })).toMatchObject({
      status: 401,
      code: 'no_matching_signature',
    });
    expect((await send(base.body, { ...base.headers, 'webhook-signature': `${junk} ${good}` })).status).toBe(
      200,
    );
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('accepts either secret during a rotation', async () => {
    const next = generateWebhookSecret();
    const { send, handler } = receiver({ secret: undefined, secrets: [secret, next] });
    expect((await send(base.body, base.headers)).status).toBe(200);
    const withNext = signed({ ...event, session_id: 'sess_2' }, { secret: next, id: 'msg_next' });
    expect((await send(withNext.body, withNext.headers)).status).toBe(200);
    // The sender signs with both during the switch: two entries in one header.
    const third = { ...event, session_id: 'sess_3' };
    const old = signed(third, { id: 'msg_both' });
    const both = `${old.headers['webhook-signature']} ${signed(third, { id: 'msg_both', secret: next }).headers['webhook-signature']}`;
    expect((await send(old.body, { ...old.headers, 'webhook-signature': both })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('verifies when Node joins duplicate webhook-signature header lines', async () => {
    const { webhooks, handler } = receiver({ now: Date.now });
    const delivery = signWebhook(event, { secret });
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await webhooks.handle({ body: Buffer.concat(chunks), headers: req.headers });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // Two header lines: fetch cannot send them, a raw request can.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.setHeader('content-type', 'application/json');
      req.setHeader('webhook-id', delivery.headers['webhook-id']);
      req.setHeader('webhook-timestamp', delivery.headers['webhook-timestamp']);
      req.setHeader('webhook-signature', [`v1,${'Z'.repeat(43)}=`, delivery.headers['webhook-signature']]);
      req.end(delivery.body);
    });
    server.close();
    expect(status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
