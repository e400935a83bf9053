// Bad input of every shape gets an answer from the status table: never a throw, never a 500
// that is not the table's, never a value read as text it is not.
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { isPasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';
import { verifyWebhook } from './verify.js';

const secret = generateWebhookSecret();
const event = createTestEvent({ session_id: 'sess_h' });
const good = signWebhook(event, { secret, id: 'msg_h' });
const codeOf = (answer: { body: string }) =>
  (JSON.parse(answer.body) as { error?: { code: string } }).error?.code;

function receiver() {
  const handler = vi.fn();
  return { handler, webhooks: createWebhookHandler({ secret, logger: silentLogger, on: handler }) };
}

describe('header values of any JavaScript type', () => {
  it.each([
    ['webhook-id', null, 400, 'missing_header'],
    ['webhook-id', 42, 400, 'malformed_id'],
    ['webhook-id', Buffer.from('msg_h'), 400, 'malformed_id'],
    ['webhook-id', { id: 'msg_h' }, 400, 'malformed_id'],
    ['webhook-id', ['msg_h', 7], 400, 'malformed_id'],
    ['webhook-id', 'msg h', 400, 'malformed_id'],
    ['webhook-id', 'x'.repeat(257), 400, 'malformed_id'],
    ['webhook-timestamp', null, 400, 'missing_header'],
    ['webhook-timestamp', 1_800_000_000, 400, 'malformed_timestamp'],
    ['webhook-timestamp', true, 400, 'malformed_timestamp'],
    ['webhook-signature', null, 400, 'missing_header'],
    ['webhook-signature', Buffer.from('v1,abc'), 401, 'malformed_signature'],
    ['webhook-signature', ['v1,abc', undefined], 401, 'malformed_signature'],
  ])('%s = %j → %i %s, handler not run', async (name, value, status, code) => {
    const { webhooks, handler } = receiver();
    const answer = await webhooks.handle({
      body: good.body,
      headers: { ...good.headers, [name]: value } as never,
    });
    expect(answer.status).toBe(status);
    expect(codeOf(answer)).toBe(code);
    expect(handler).not.toHaveBeenCalled();
  });

  it('never reads a null id as the text "null"', async () => {
    const { webhooks } = receiver();
    const signedAsNull = signWebhook(event, { secret, id: 'null' });
    const answer = await webhooks.handle({
      body: signedAsNull.body,
      headers: { ...signedAsNull.headers, 'webhook-id': null } as never,
    });
    expect(codeOf(answer)).toBe('missing_header');
  });

  it('reads headers from Node objects, any-case records, Headers and Maps alike', async () => {
    const { webhooks, handler } = receiver();
    const upper = Object.fromEntries(Object.entries(good.headers).map(([k, v]) => [k.toUpperCase(), v]));
    const sources = [upper, new Headers(good.headers), new Map(Object.entries(good.headers))];
    for (const headers of sources)
      expect((await webhooks.handle({ body: good.body, headers: headers as never })).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1); // the same outcome: once, then duplicates
  });

  it('answers 400 when the header source is missing, not an object, or throws', async () => {
    const { webhooks } = receiver();
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    for (const headers of [
      undefined,
      null,
      'webhook-id: x',
      12,
      throwing,
      {
        get: () => {
          throw new Error('x');
        },
      },
    ]) {
      const answer = await webhooks.handle({ body: good.body, headers: headers as never });
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe('missing_header');
    }
  });
});

describe('a missing or odd request object', () => {
  it.each([undefined, null, 'body', 42, {}])(
    'handle(%j) answers 500 body_already_parsed, never throws',
    async (request) => {
      const { webhooks, handler } = receiver();
      const answer = await webhooks.handle(request as never);
      expect(answer.status).toBe(500);
      expect(codeOf(answer)).toBe('body_already_parsed');
      expect(handler).not.toHaveBeenCalled();
    },
  );

  it('ignores a request logger that is not a logger', async () => {
    const { webhooks } = receiver();
    const answer = await webhooks.handle({ ...good, logger: { info: 'x' } as never });
    expect(answer.status).toBe(200);
  });
});

describe('verifyWebhook throws only PasisErrors', () => {
  it('explains a parsed body the way Stripe does', () => {
    let error: unknown;
    try {
      verifyWebhook({ body: JSON.parse(good.body), headers: good.headers, secret });
    } catch (e) {
      error = e;
    }
    expect(isPasisError(error, 'body_already_parsed')).toBe(true);
    expect((error as Error).message).toMatch(/raw request body.*parsed JavaScript value/s);
    expect((error as Error).message).toMatch(/express\.raw/);
  });

  it('refuses a missing options object or secret with config_error', () => {
    for (const bad of [undefined, null, 'x', { body: good.body, headers: good.headers }]) {
      let error: unknown;
      try {
        verifyWebhook(bad as never);
      } catch (e) {
        error = e;
      }
      expect(isPasisError(error, 'config_error')).toBe(true);
    }
  });

  it('refuses odd headers with webhook codes', () => {
    for (const headers of [undefined, null, { 'webhook-id': 1 }]) {
      expect(() => verifyWebhook({ body: good.body, headers: headers as never, secret })).toThrow(
        expect.objectContaining({ name: 'PasisError' }),
      );
    }
  });
});

describe('webhooks.fetch never rejects', () => {
  const url = 'http://127.0.0.1/webhook';
  const request = () => new Request(url, { method: 'POST', body: good.body, headers: good.headers });

  it('answers 500 body_already_parsed when the body was already read or is locked', async () => {
    const { webhooks, handler } = receiver();
    const used = request();
    await used.text();
    const locked = request();
    locked.body!.getReader();
    for (const req of [used, locked]) {
      const res = await webhooks.fetch(req);
      expect(res.status).toBe(500);
      expect((await res.json()).error.code).toBe('body_already_parsed');
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 400 body_unreadable when the stream fails', async () => {
    const { webhooks } = receiver();
    const failing = Readable.toWeb(
      new Readable({
        read() {
          this.destroy(new Error('socket hang up'));
        },
      }),
    ) as ReadableStream;
    const req = new Request(url, {
      method: 'POST',
      body: failing,
      headers: good.headers,
      duplex: 'half',
    } as RequestInit);
    const res = await webhooks.fetch(req);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('body_unreadable');
  });

  it('answers a reader whose stream broke 400 body_unreadable, whatever the body', async () => {
    const { webhooks, handler } = receiver();
    const answer = await webhooks.handle({
      body: good.body,
      headers: good.headers,
      read: { kind: 'unreadable' },
    });
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('body_unreadable');
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers a call without a Request', async () => {
    const { webhooks } = receiver();
    for (const value of [undefined, null, {}, 'x'])
      expect((await webhooks.fetch(value as never)).status).toBe(500);
    expect((await webhooks.fetch(request())).status).toBe(200);
  });
});
