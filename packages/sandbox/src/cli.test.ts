import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyWebhook } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from './test-support/receiver.js';

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

    it('refuses missing flags with exit 2', async () => {
      const run = await pasis(['trigger', 'session:processed', '--secret', secret]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('--to is required');
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

  it('pasis sandbox --port 0 starts, prints its URL and env lines, and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', '--app-id', 'app_cli'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const deadline = Date.now() + 10_000;
    while (!out.includes('Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toContain('PASIS_APP_ID=app_cli');
    expect(out).toMatch(/PASIS_WEBHOOK_SECRET=whsec_/);
    expect(out).toContain(`PASIS_BASE_URL=${url}`);
    expect((await fetch(`${url}/`)).status).toBe(200);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (exitCode) => resolve(exitCode)),
    );
    expect(code).toBe(0);
    expect(out).toContain('Sandbox stopped.');
  });
});
