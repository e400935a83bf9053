/**
 * `pasis trigger` (the built binary) against real receivers: custom bodies, concurrent
 * copies, unsigned deliveries, and `--replay` through a running sandbox.
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pasis } from './test-support/cli.js';
import { complete, newSession, type Rig, startRig } from './test-support/flows.js';
import { type Receiver, reservePort, startReceiver, waitFor } from './test-support/receiver.js';

beforeAll(assertBuilt);

describe('pasis trigger', () => {
  const secret = generateWebhookSecret();
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver(secret);
  });
  afterAll(() => receiver.close());

  it('sends one signed event, prints the answer, exits 0 on 200', async () => {
    const run = await pasis([
      'trigger',
      'session:processed',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--session-id',
      'sess_cli',
      '--amount',
      '1500',
      '--status',
      'cancelled',
      '--id',
      'msg_cli_1',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^200 /);
    expect(receiver.handled.at(-1)).toEqual({
      kind: 'session:processed',
      session_id: 'sess_cli',
      amount: 1500,
      status: 'cancelled',
    });
    expect(receiver.answers.at(-1)?.webhookId).toBe('msg_cli_1');
  });

  it('exits non-zero on a 401 (wrong secret)', async () => {
    const run = await pasis([
      'trigger',
      'session:processed',
      '--to',
      receiver.url,
      '--secret',
      generateWebhookSecret(),
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^401 /);
    expect(run.stdout).toContain('no_matching_signature');
  });

  it('--override sets fields, a value that parses as JSON taken as JSON', async () => {
    const run = await pasis([
      'trigger',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--session-id',
      'sess_over',
      '--override',
      'amount=4321',
      '--override',
      'status=cancelled',
      '--override',
      'meta.note=hello world',
    ]);
    expect(run.status).toBe(0);
    expect(receiver.handled.at(-1)).toEqual({
      kind: 'session:processed',
      session_id: 'sess_over',
      amount: 4321,
      status: 'cancelled',
      meta: { note: 'hello world' },
    });
  });

  it('--data gives the whole body; --override applies on top; clashing flags exit 2', async () => {
    const data = JSON.stringify({
      kind: 'session:processed',
      session_id: 'sess_data',
      amount: 700,
      status: 'success',
    });
    const run = await pasis([
      'trigger',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--data',
      data,
      '--override',
      'amount=800',
    ]);
    expect(run.status).toBe(0);
    expect(receiver.handled.at(-1)).toEqual({
      kind: 'session:processed',
      session_id: 'sess_data',
      amount: 800,
      status: 'success',
    });
    const invalid = await pasis([
      'trigger',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--data',
      '{"kind":"session:processed"}',
    ]);
    expect(invalid.status).toBe(1);
    expect(invalid.stdout).toMatch(/^400 /);
    const clash = await pasis([
      'trigger',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--data',
      data,
      '--amount',
      '1',
    ]);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toContain('use --override instead of --amount');
    expect(
      (await pasis(['trigger', '--to', receiver.url, '--secret', secret, '--data', '{oops'])).stderr,
    ).toContain('--data must be JSON');
  });

  it('--duplicate N sends N concurrent copies with one webhook-id; the handler runs once', async () => {
    const handledBefore = receiver.handled.length;
    const answersBefore = receiver.answers.length;
    const run = await pasis([
      'trigger',
      '--to',
      receiver.url,
      '--secret',
      secret,
      '--session-id',
      'sess_dup_cli',
      '--id',
      'msg_dup_cli',
      '--duplicate',
      '3',
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout.match(/^\[copy \d\/3\] (200|409) /gm)).toHaveLength(3);
    const answers = receiver.answers.slice(answersBefore);
    expect(answers.map((a) => a.webhookId)).toEqual(['msg_dup_cli', 'msg_dup_cli', 'msg_dup_cli']);
    expect(receiver.handled.length - handledBefore).toBe(1);
  });

  it('--unsigned sends the body alone, without any webhook-* header', async () => {
    let captured: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      captured = req.headers;
      req.resume();
      res.writeHead(204).end();
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const to = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const run = await pasis(['trigger', '--to', to, '--unsigned']);
    server.close();
    expect(run.status).toBe(0);
    expect(captured?.['content-type']).toBe('application/json');
    expect(Object.keys(captured ?? {}).filter((name) => name.startsWith('webhook-'))).toEqual([]);
    const refused = await pasis(['trigger', '--to', receiver.url, '--unsigned']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('missing_header');
  });

  it('refuses missing flags with exit 2', async () => {
    const run = await pasis(['trigger', 'session:processed', '--secret', secret]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--to is required');
  });
});

describe('pasis trigger --replay against a running sandbox', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('redelivers with the same webhook-id, or with --new-id as a fresh delivery, and prints the answer', async () => {
    const { json } = await complete(rig.sandbox, await newSession(rig.sandbox, rig.appId), {
      status: 'success',
    });
    const delivery = rig.sandbox.store.deliveries.get(json.delivery_id)!;
    await waitFor(() => delivery.state === 'delivered');
    const same = await pasis(['trigger', '--replay', delivery.id, '--sandbox', rig.sandbox.url]);
    expect(same.status).toBe(0);
    expect(same.stdout).toContain(`Redelivering ${delivery.id} (webhook-id ${delivery.webhook_id})`);
    expect(same.stdout).toMatch(/attempt #2 → 200 in \d+ ms\n\{"ok":true,"outcome":"duplicate"\}/);
    const fresh = await pasis(['trigger', '--replay', delivery.id, '--new-id', '--sandbox', rig.sandbox.url]);
    expect(fresh.status).toBe(0);
    const freshId = /as (dlv_\S+)/.exec(fresh.stdout)?.[1];
    expect(rig.sandbox.store.deliveries.get(freshId!)).toMatchObject({
      redelivery_of: delivery.id,
      state: 'delivered',
    });
    expect(rig.receiver.handled).toHaveLength(1);
  });

  it('exits 2 for an unknown delivery, and when no sandbox answers', async () => {
    const unknown = await pasis(['trigger', '--replay', 'dlv_nope', '--sandbox', rig.sandbox.url]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('has no delivery dlv_nope');
    const nobody = await pasis([
      'trigger',
      '--replay',
      'dlv_x',
      '--sandbox',
      `http://127.0.0.1:${await reservePort()}`,
    ]);
    expect(nobody.status).toBe(2);
    expect(nobody.stderr).toMatch(/no sandbox answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});
