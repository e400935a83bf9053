/**
 * The README's quick starts, run as the programs they are: each block marked
 * `<!-- quickstart: <name> -->` is compiled as it stands (TypeScript's own transpiler, with
 * decorator metadata for Nest) beside `orders.ts`, started with nothing but the environment
 * the README names, and paid through the sandbox: a checkout redirects to the pay page, the
 * payment's signed webhook reaches the block's handler, and `orders.settle` runs once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '@pasis/sandbox';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { typescriptBlocks } from './markdown-blocks.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
// Inside the tests package, so that the blocks' imports resolve from its node_modules.
const work = join(here, '.quickstarts');

/** The quick-start blocks of the README, by the name of their marker. */
function quickstarts(): Map<string, string> {
  const markdown = readFileSync(readme, 'utf8');
  const lines = markdown.split('\n');
  const found = new Map<string, string>();
  for (const block of typescriptBlocks(readme, markdown)) {
    // The fence is the line before the code; the marker the last non-blank line above it.
    let above = block.line - 3;
    while (above >= 0 && lines[above]!.trim() === '') above--;
    const name = /^<!--\s*quickstart:\s*([\w-]+)\s*-->$/.exec(lines[above]?.trim() ?? '')?.[1];
    if (name) found.set(name, block.code);
  }
  return found;
}

const compile = (source: string) =>
  ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  }).outputText;

interface Running {
  child: ChildProcess;
  output: () => string;
}

function start(dir: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['main.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

/** Waits (boundedly, in real time) until `check` holds; fails with the program's output. */
async function until(check: () => boolean | Promise<boolean>, what: string, program: Running) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (program.child.exitCode !== null) throw new Error(`the program exited: ${program.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within 30 s; output:\n${program.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const blocks = quickstarts();
let sandbox: Sandbox;
let sandboxUrl: string;
const running: Running[] = [];

beforeAll(async () => {
  sandbox = createSandbox(); // silent by default
  sandboxUrl = await sandbox.listen(0, '127.0.0.1');
  mkdirSync(work, { recursive: true });
});

afterAll(async () => {
  for (const { child } of running) if (child.exitCode === null) child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the README's quick starts", () => {
  it('are the three promised entry points', () => {
    expect([...blocks.keys()].sort()).toEqual(['express', 'fastify', 'nestjs']);
    expect(blocks.get('express')).toContain('app.use(pasisWebhook(');
    expect(blocks.get('fastify')).toContain('await app.register(pasis);');
    expect(blocks.get('nestjs')).toContain('PasisModule.forRoot()');
  });

  it.each(['express', 'fastify', 'nestjs'])('%s: a checkout, a payment, one settled order', async (name) => {
    const dir = join(work, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.mjs'), compile(blocks.get(name)!));
    writeFileSync(join(dir, 'orders.js'), compile(readFileSync(join(here, 'orders.ts'), 'utf8')));
    const port = await freePort();
    const shop = `http://127.0.0.1:${port}`;
    const app = sandbox.registerApp({
      name: `Quick start (${name})`,
      callback_url: `${shop}/webhook`,
      return_url: `${shop}/return`,
    });
    const program = start(dir, {
      PORT: String(port),
      PASIS_BASE_URL: sandboxUrl,
      PASIS_APP_ID: app.app_id,
      PASIS_WEBHOOK_SECRET: app.webhook_secret,
    });
    running.push(program);

    let checkout: Response | undefined;
    await until(
      async () => {
        checkout = await fetch(`${shop}/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'customer@mail.com' }),
          redirect: 'manual',
        }).catch(() => undefined);
        return checkout !== undefined;
      },
      'answer to POST /checkout',
      program,
    );
    expect(checkout!.status, program.output()).toBe(303);
    const paymentLink = checkout!.headers.get('location')!;
    expect(paymentLink.startsWith(`${sandboxUrl}/pay/`)).toBe(true);
    const sessionId = paymentLink.slice(`${sandboxUrl}/pay/`.length);

    const paid = await fetch(`${sandboxUrl}/_sandbox/sessions/${sessionId}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'success', phone: '0780000001' }),
    });
    expect(paid.status).toBe(200);
    const settled = `orders.settle ${sessionId} success 5000`;
    await until(() => program.output().includes(settled), 'settled order', program);
    const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === sessionId);
    await until(() => delivery?.attempts.at(-1)?.status_code === 200, '200 to the webhook', program);
    expect(program.output().split(settled)).toHaveLength(2); // once
    program.child.kill('SIGTERM');
    await once(program.child, 'exit');
  });
});
