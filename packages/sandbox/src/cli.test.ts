import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete, newSession, type Rig, startRig } from './test-support/flows.js';
import { type Receiver, reservePort, startReceiver, waitFor } from './test-support/receiver.js';

// The tests run the BUILT binary, as a user would (`pnpm test` builds first).
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
// Asynchronous: a synchronous spawn would block the in-process receiver the CLI talks to.
function pasis(
  args: string[],
  input?: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, PASIS_WEBHOOK_SECRET: '' },
    timeout: 15_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(input ?? '');
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`pnpm build\` first (pnpm test does).`);
});

describe('pasis (built binary)', () => {
  it.each([['sandbox'], ['trigger'], ['sign']])(
    'pasis %s --help prints its usage and exits 0',
    async (command) => {
      const run = await pasis([command, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(`Usage: pasis ${command}`);
    },
  );

  it('pasis --help lists the commands; an unknown command exits 2', async () => {
    expect((await pasis(['--help'])).stdout).toMatch(/sandbox[\s\S]*trigger[\s\S]*sign/);
    expect((await pasis(['nope'])).status).toBe(2);
  });

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
      const fresh = await pasis([
        'trigger',
        '--replay',
        delivery.id,
        '--new-id',
        '--sandbox',
        rig.sandbox.url,
      ]);
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

  it('pasis sign prints headers that verify over the exact body', async () => {
    const secret = generateWebhookSecret();
    const body = '{"kind":"session:processed","session_id":"sess_sign","amount":5000,"status":"success"}';
    const now = Math.floor(Date.now() / 1000);
    const run = await pasis(
      ['sign', '--secret', secret, '--id', 'msg_sign', '--timestamp', String(now)],
      body,
    );
    expect(run.status).toBe(0);
    const headers = Object.fromEntries(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    expect(headers['webhook-id']).toBe('msg_sign');
    expect(headers['webhook-timestamp']).toBe(String(now));
    expect(verifyWebhook({ body, headers, secret })).toMatchObject({ session_id: 'sess_sign' });
  });

  describe('pasis sandbox', () => {
    // Each run in a directory of its own: the default data dir is ./.pasis-sandbox.
    const cwd = mkdtempSync(join(tmpdir(), 'pasis-cli-test-'));
    afterAll(() => rmSync(cwd, { recursive: true, force: true }));

    async function runSandbox(args: string[]) {
      const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', ...args], {
        cwd,
        env: { ...process.env, PASIS_APP_ID: '', PASIS_WEBHOOK_SECRET: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 10_000;
      while (!out.includes('Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const stop = async () => {
        child.kill('SIGINT');
        return { code: await exited, out };
      };
      return { out, url: /listening on (http:\/\/\S+)/.exec(out)?.[1], stop };
    }

    it('--port 0 starts, prints its URL and env lines, and stops on SIGINT', async () => {
      const run = await runSandbox(['--app-id', 'app_cli', '--in-memory']);
      expect(run.url).toBeDefined();
      expect(run.out).toContain('PASIS_APP_ID=app_cli');
      expect(run.out).toMatch(/PASIS_WEBHOOK_SECRET=whsec_/);
      expect(run.out).toContain(`PASIS_BASE_URL=${run.url}`);
      expect(run.out).toContain('in memory: forgotten on exit');
      expect((await fetch(`${run.url}/`)).status).toBe(200);
      const stopped = await run.stop();
      expect(stopped.code).toBe(0);
      expect(stopped.out).toContain('Sandbox stopped.');
      expect(existsSync(join(cwd, '.pasis-sandbox'))).toBe(false);
    });

    it('keeps its data in ./.pasis-sandbox: a restart has the same app, secret and sessions', async () => {
      const first = await runSandbox(['--webhook', 'lose']);
      expect(first.out).toContain(join(cwd, '.pasis-sandbox', 'sandbox.sqlite'));
      const appId = /PASIS_APP_ID=(\S+)/.exec(first.out)![1]!;
      const secret = /PASIS_WEBHOOK_SECRET=(\S+)/.exec(first.out)![1]!;
      const sandbox = { url: first.url! } as never;
      const sessionId = await newSession(sandbox, appId);
      const ended = await complete(sandbox, sessionId, { status: 'success', phone: '0780000001' });
      expect(ended.status).toBe(200);
      expect((await first.stop()).code).toBe(0);
      const second = await runSandbox([]);
      expect(second.out).toContain(`PASIS_APP_ID=${appId}\n`);
      expect(second.out).toContain('(kept from the data dir)');
      expect(second.out).toContain(`PASIS_WEBHOOK_SECRET=${secret}`);
      expect(second.out).toContain('1 sessions, 1 deliveries, 0 pending');
      const session = await (await fetch(`${second.url}/_sandbox/sessions/${sessionId}`)).json();
      expect(session.status).toBe('success');
      const deliveries = await (
        await fetch(`${second.url}/_sandbox/deliveries?session_id=${sessionId}`)
      ).json();
      expect(deliveries.data).toEqual([
        expect.objectContaining({ behaviour: 'lose', state: 'lost', attempts: [] }),
      ]);
      expect((await second.stop()).code).toBe(0);
    });

    it.each([
      [['--retry-schedule', '1s,,5s'], /--retry-schedule: entry 2 of "1s,,5s" is empty/],
      [['--retry-schedule', '10 seconds'], /"10 seconds" is not a duration/],
      [['--webhook', 'drop'], /--webhook must be one of deliver, lose, duplicate, delay/],
      [['--webhook-delay', '5'], /--webhook-delay: "5" is not a duration/],
      [['--in-memory', '--data-dir', 'x'], /exclude each other/],
    ])('refuses %j with exit 2 and a clear message', async (args, pattern) => {
      const run = await pasis(['sandbox', '--port', '0', ...args]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^pasis sandbox: @pasis\/sandbox: /);
      expect(run.stderr).toMatch(pattern);
    });
  });
});
