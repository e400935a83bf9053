import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure } from './cli/errors.js';
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

  it('pasis --help lists the commands', async () => {
    expect((await pasis(['--help'])).stdout).toMatch(/sandbox[\s\S]*trigger[\s\S]*sign/);
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
      expect(run.out).toContain('account:      unverified (approved: 0780000001, 0780000002, 0780000003)');
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
  });
});

describe('pasis errors: one line that says how to fix it, and where the options are', () => {
  const secret = generateWebhookSecret();

  /** Exactly two lines on stderr, no usage text, no stack trace. */
  async function fails(args: string[], pattern: RegExp, exitCode = 2) {
    const run = await pasis(args);
    const who = args[0] === 'nope' ? 'pasis' : `pasis ${args[0]}`;
    const pointer = `Run \`${who} --help\` for ${args[0] === 'nope' ? 'the commands' : 'the options'}.`;
    expect(run.stderr.split('\n')).toEqual([expect.stringMatching(pattern), pointer, '']);
    expect(run.stderr.startsWith(`${who}: `)).toBe(true);
    expect(run.stderr).not.toMatch(/Usage:|@pasis\/sandbox:|\n\s+at /);
    expect(run.status).toBe(exitCode);
  }

  it.each([
    [['nope'], /^pasis: unknown command "nope"; the commands are sandbox, trigger, sign, mcp$/],
    [['mcp', '--nope'], /^pasis mcp: unknown option --nope$/],
    [['sandbox', '--nope'], /: unknown option --nope$/],
    [['sandbox', '--port'], /: --port needs a value$/],
    [['sandbox', '--port', 'abc'], /: --port must be a whole number from 0 to 65535 .*not "abc"$/],
    [['sandbox', '--in-memory=yes'], /: --in-memory takes no value$/],
    [['sandbox', 'extra'], /: unexpected argument "extra"$/],
    [['sandbox', '--retry-schedule', '1s,,5s'], /--retry-schedule: entry 2 of "1s,,5s" is empty/],
    [['sandbox', '--retry-schedule', '10 seconds'], /"10 seconds" is not a duration/],
    [['sandbox', '--webhook', 'drop'], /--webhook must be one of deliver, lose, duplicate, delay/],
    [['sandbox', '--webhook-delay', '5'], /--webhook-delay: "5" is not a duration/],
    [['sandbox', '--in-memory', '--data-dir', 'x'], /exclude each other/],
    [['trigger', '--secret', secret], /^pasis trigger: --to is required$/],
    [['trigger', '--to', 'http://127.0.0.1:9/', '--secret', 'whsec_nope'], /webhook secret is too short/],
    [['sign'], /^pasis sign: --secret is required/],
    [['sign', '--secret', secret, '--timestamp', 'soon'], /--timestamp must be Unix seconds, not "soon"/],
  ])('pasis %j exits 2', async (args, pattern) => {
    await fails(args, pattern);
  });

  it('names the data dir it refuses, and how to fix it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pasis-cli-error-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    try {
      await fails(['sandbox', '--data-dir', file], /^pasis sandbox: the data dir .*a-file cannot be used/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names --port when the port is taken', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    try {
      await fails(
        ['sandbox', '--in-memory', '--port', String(port)],
        new RegExp(`^pasis sandbox: port ${port} on 127\\.0\\.0\\.1 is taken .*pass --port <n>`),
      );
    } finally {
      taken.close();
    }
  });

  it('anything that is not a usage mistake exits 1, on one line', () => {
    expect(describeFailure(new Error('the disk is full\n  (ENOSPC)'))).toEqual({
      message: 'the disk is full (ENOSPC)',
      exitCode: 1,
    });
  });
});
