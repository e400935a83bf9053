// The verifier's fast paths (bench/README.md, issue 18) must give exactly the verdicts of the
// general ones: the last-used verifier found by identity, the one-entry signature check, the
// blank test run only after a format fails, and UTF-8 checked only when U+FFFD appears.
import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { decodeWebhookSecret } from './secret.js';
import { computeSignature } from './signature.js';
import { verifyWebhook } from './verify.js';

// The Standard Webhooks test vector: its signature holds both `+` and `/`.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  headers: {
    'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    'webhook-timestamp': '1614265330',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
  body: '{"test": 2432232314}',
};
const vectorNow = () => 1614265330 * 1000;
const event = createTestEvent();

/** The code `verifyWebhook` throws, or 'ok'. */
function verdict(options: Parameters<typeof verifyWebhook>[0]): string {
  try {
    verifyWebhook(options);
    return 'ok';
  } catch (error) {
    if (!isPasisError(error)) throw error;
    return error.code;
  }
}

describe('verifyWebhook keeps the last verifier by identity, never a stale one', () => {
  it('a new secret is used at once, and the old one no longer verifies', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    const byA = signWebhook(event, { secret: a });
    const byB = signWebhook(event, { secret: b });
    expect(verdict({ ...byA, secret: a })).toBe('ok');
    expect(verdict({ ...byB, secret: a })).toBe('no_matching_signature');
    expect(verdict({ ...byB, secret: b })).toBe('ok');
    expect(verdict({ ...byA, secret: b })).toBe('no_matching_signature');
    // `secrets` and `secret` alike: the identity path never answers for a rotation list.
    expect(verdict({ ...byA, secrets: [b] })).toBe('no_matching_signature');
    expect(verdict({ ...byA, secrets: [b, a] })).toBe('ok');
  });

  it('a new tolerance is used at once', () => {
    const secret = generateWebhookSecret();
    const old = signWebhook(event, { secret, timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect(verdict({ ...old, secret })).toBe('ok');
    expect(verdict({ ...old, secret, toleranceSec: 100 })).toBe('timestamp_too_old');
    expect(verdict({ ...old, secret })).toBe('ok');
  });
});

describe('the one-entry signature check', () => {
  it('verifies the test vector, and refuses its base64url spelling as malformed', () => {
    // Verified: the vector's body is not a Pasis event, so it fails only after the signature.
    expect(verdict({ ...VECTOR, now: vectorNow })).toBe('invalid_event');
    const urlSafe = VECTOR.headers['webhook-signature'].replace(/\+/g, '-').replace(/\//g, '_');
    const headers = { ...VECTOR.headers, 'webhook-signature': urlSafe };
    expect(verdict({ ...VECTOR, headers, now: vectorNow })).toBe('malformed_signature');
  });

  it('refuses a 47-character entry that is not strict base64, and one of the right form that differs', () => {
    const sig = VECTOR.headers['webhook-signature'];
    const noPad = { ...VECTOR.headers, 'webhook-signature': `${sig.slice(0, -1)}!` };
    expect(verdict({ ...VECTOR, headers: noPad, now: vectorNow })).toBe('malformed_signature');
    const other = { ...VECTOR.headers, 'webhook-signature': `v1,${'A'.repeat(43)}=` };
    expect(verdict({ ...VECTOR, headers: other, now: vectorNow })).toBe('no_matching_signature');
  });
});

describe('blank headers are missing, whatever their length', () => {
  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    '%s of spaces → missing_header',
    (name) => {
      const headers = { ...VECTOR.headers, [name]: ' \t '.repeat(16) };
      expect(verdict({ ...VECTOR, headers, now: vectorNow })).toBe('missing_header');
    },
  );
});

describe('strict UTF-8, checked only when the decoded text holds U+FFFD', () => {
  const secret = generateWebhookSecret();
  it('accepts a body with a real U+FFFD and other non-ASCII text', () => {
    const signed = signWebhook({ ...event, note: 'caf\u00e9 \uFFFD \u{1F600}' }, { secret });
    expect(verdict({ ...signed, body: Buffer.from(signed.body), secret })).toBe('ok');
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses %s as invalid_json', (_, bytes) => {
    const prefix = Buffer.from(
      '{"kind":"session:processed","session_id":"sess_1","amount":5000,"status":"success","note":"',
    );
    const body = Buffer.concat([prefix, Buffer.from(bytes), Buffer.from('"}')]);
    // Signed over the exact bytes (signWebhook signs text as UTF-8, which these bytes are not).
    const { headers } = signWebhook('', { secret, id: 'msg_utf8' });
    const key = decodeWebhookSecret(secret);
    const signature = computeSignature(key, 'msg_utf8', headers['webhook-timestamp'], body).toString(
      'base64',
    );
    const signedHeaders = { ...headers, 'webhook-signature': `v1,${signature}` };
    expect(verdict({ body, headers: signedHeaders, secret })).toBe('invalid_json');
    expect(verdict({ body: new Uint8Array(body), headers: signedHeaders, secret })).toBe('invalid_json');
  });
});
