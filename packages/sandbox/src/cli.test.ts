import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, pasis, runSandbox as run } from './test-support/cli.js';
import { complete, newSession } from './test-support/flows.js';

beforeAll(assertBuilt);

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

    const runSandbox = (args: string[]) => run(args, { cwd });

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
      expect(first.out).toContain(`data:         ${join(cwd, '.pasis-sandbox')} (0 sessions`);
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
