#!/usr/bin/env node
// `pnpm demo [express|fastify|nestjs]`: the sandbox (an offline Pasis) and one example shop
// wired to it with a fresh secret. Only the packages changed since their last build are
// rebuilt (scripts/build.mjs). Ctrl-C stops both and exits 0; no process is left behind.
// Root's package.json runs it as `exec node …`: without a shell between pnpm and node, pnpm
// sees node's own exit status (0) after Ctrl-C instead of a shell killed by SIGINT, which it
// would report as "ELIFECYCLE Command failed".
// PASIS_DEMO_SANDBOX_DIR moves the sandbox's data (the tests' demos keep away from yours).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildStale, defaultTargets } from './build.mjs';
import { demoPortProblem, portMessage } from './lib/port-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const usage =
  'Usage: pnpm demo [express|fastify|nestjs] [--shop-port 3000] [--sandbox-port 4010] [--host 127.0.0.1]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'shop-port': { type: 'string', default: process.env.PORT ?? '3000' },
      'sandbox-port': { type: 'string', default: process.env.PASIS_SANDBOX_PORT ?? '4010' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
} catch (error) {
  console.error(`pnpm demo: ${error.message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const framework = positionals[0] ?? 'express';
const shops = {
  express: { cwd: 'examples/express', command: process.execPath, args: ['--import', 'tsx', 'src/main.ts'] },
  fastify: { cwd: 'examples/fastify', command: process.execPath, args: ['--import', 'tsx', 'src/main.ts'] },
  // Nest needs decorator metadata, so it is compiled (tsc, with the packages, only when its
  // sources changed) and run as plain node: no pnpm in between, whose grandchild would outlive
  // a SIGTERM.
  nestjs: { cwd: 'examples/nestjs', command: process.execPath, args: ['dist/main.js'], build: true },
};
if (values.help || !shops[framework]) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

// Ctrl-C reaches every process of the terminal's group at once: pnpm (which forwards it here
// again), this script, the build or the shop. Each stops on its own; this script waits for
// the shop, closes the sandbox and exits 0. Until the shop runs, there is nothing to stop.
let interrupted = false;
let onInterrupt = () => process.exit(0);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    onInterrupt();
  });
}

// Both ports before anything starts: a taken one is one line, not a stack after a build.
const host = values.host;
const portProblem = await demoPortProblem({
  host,
  shopPort: values['shop-port'],
  sandboxPort: values['sandbox-port'],
});
if (portProblem) {
  console.error(portProblem);
  process.exit(2);
}

try {
  await buildStale({
    targets: [...defaultTargets(root), ...(shops[framework].build ? [shops[framework].cwd] : [])],
  });
} catch (error) {
  if (interrupted) process.exit(0);
  console.error(`pnpm demo: ${error.message}`);
  process.exit(1);
}

const { createSandbox } = await import('@pasis/sandbox');
const { databaseLocation, describeLocation } = await import('@pasis/example-shop-kit');

const shopUrl = `http://${host}:${values['shop-port']}`;
// Both keep their data across a restart: the shop its orders (PGlite in the shop's folder,
// or DATABASE_URL), the sandbox its apps, sessions and deliveries, so a pending order's
// payment link and webhook still work after Ctrl-C and `pnpm demo` again.
const sandboxDir = process.env.PASIS_DEMO_SANDBOX_DIR || `${root}.pasis-sandbox/demo`;
mkdirSync(sandboxDir, { recursive: true });
const orders = databaseLocation(process.env, { folder: `${root}${shops[framework].cwd}`, framework });
let sandbox;
try {
  sandbox = createSandbox({ logger: console, dataDir: sandboxDir });
} catch (error) {
  // A data dir the sandbox refuses (another demo holds it, an older format): one line saying how to fix it.
  if (error?.code !== 'config_error') throw error;
  console.error(`pnpm demo: ${error.message.replace(/^@pasis\/sandbox: /, '')}`);
  process.exit(2);
}
onInterrupt = () => sandbox.close().then(() => process.exit(0));
const sandboxUrl = await sandbox.listen(Number(values['sandbox-port']), host).catch(async (error) => {
  // Taken since the check above: the same line.
  await sandbox.close();
  if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
  console.error(portMessage('the sandbox', values['sandbox-port'], host, error.code, '--sandbox-port'));
  process.exit(2);
});
// Unverified, like a new Pasis account: only the approved numbers can pay. The same app
// (id and secret) on every run: the shop's orders refer to its sessions.
const appName = `Demo shop (${framework})`;
const known = [...sandbox.store.apps.values()].find((a) => a.name === appName);
const app = sandbox.registerApp({
  name: appName,
  app_id: known?.app_id,
  webhook_secret: known?.webhook_secret,
  callback_url: `${shopUrl}/webhook`,
  return_url: `${shopUrl}/return`,
  verified: false, // the approved numbers: the sandbox's default, its three test numbers
});

const shop = shops[framework];
const child = spawn(shop.command, shop.args, {
  cwd: `${root}${shop.cwd}`,
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: values['shop-port'],
    HOST: host,
    PASIS_BASE_URL: sandboxUrl,
    PASIS_APP_ID: app.app_id,
    PASIS_WEBHOOK_SECRET: app.webhook_secret,
    // Names the shop in its spans (PASIS_DEMO_TRACE=1); the OpenTelemetry SDK reads it.
    OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? `pasis-demo-${framework}`,
  },
});

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => resolve(clearTimeout(force)));
    });
  }
  await sandbox.close();
  process.exit(code);
}
onInterrupt = () => stop(0);
if (interrupted) stop(0);
child.once('exit', (code, signal) => {
  // The shop saw the same Ctrl-C (its whole group did) and stopped on its own: a normal stop.
  if (stopping || interrupted) return void stop(0);
  console.error(
    `pnpm demo: the ${framework} shop exited (${signal ?? `code ${code}`}); its output above says why`,
  );
  stop(code || 1);
});

// Print the summary once the shop answers, and only then.
let up = false;
for (let i = 0; i < 600 && !stopping && !up; i++) {
  up = await fetch(shopUrl).then(
    (r) => r.ok,
    () => false,
  );
  if (!up) await new Promise((r) => setTimeout(r, 200));
}
if (!up) {
  if (!stopping) {
    console.error(`pnpm demo: the ${framework} shop did not answer on ${shopUrl} within 2 minutes`);
    await stop(1);
  }
  await new Promise(() => {}); // stop() exits
}
const complete = (body) =>
  `curl -X POST ${sandboxUrl}/_sandbox/sessions/<session_id>/complete -H 'content-type: application/json' -d '${JSON.stringify(body)}'`;
console.log(`
  Pasis demo (${framework}) is running. Ctrl-C stops everything.

  Shop:               ${shopUrl}
  Sandbox dashboard:  ${sandboxUrl}/   (live; each delivery links to its inspector)
  App id:             ${app.app_id}
  Orders:             ${describeLocation(orders)}
  Sandbox data:       ${sandboxDir} (start afresh: stop the demo, delete it and the orders' folder)

  Tracing:            ${
    process.env.PASIS_DEMO_TRACE === '1'
      ? 'on: the shop prints every OpenTelemetry span to this console'
      : 'off; PASIS_DEMO_TRACE=1 pnpm demo prints every OpenTelemetry span the shop records'
  }

  Test phone numbers on the pay page:
    0780000001  pays (approved)
    0780000002  is declined (the session ends cancelled)
    0780000003  never answers: the page waits for approval on the phone, and the session ends
                cancelled when the approval window (5 minutes) passes, webhook and all
    any other   "Phone number not found": the demo app is unverified, like a new account

  Provoke what a real Pasis can do to your shop (every delivery is signed as usual). On the
  pay page, pick a "Webhook behaviour" (the box marked Sandbox only), or complete a session
  from a terminal instead of paying (its session_id is on the dashboard):

    lose       the webhook is never sent; the return page asks GET /api/checkouts/<session_id>
               and shows paid; otherwise the shop's reconciler does, for orders pending longer
               than RECONCILE_AFTER_MS (default 60 s), every RECONCILE_INTERVAL_MS (default 60 s)
               ${complete({ status: 'success', webhook: 'lose' })}
    duplicate  the same delivery (one webhook-id) twice at the same moment: paid once
               ${complete({ status: 'success', webhook: 'duplicate' })}
    delay      the first attempt waits: the customer is back on /return before the webhook
               ${complete({ status: 'success', webhook: 'delay', delay_ms: 15000 })}
    shop down  pause the shop, pay, resume it: attempts time out, then a retry lands
               kill -STOP ${child.pid}   (pay now, watch ${sandboxUrl}/?state=pending)   kill -CONT ${child.pid}
    replay     resend a delivery (its id dlv_… is on the dashboard): the same webhook-id, or a new one
               pnpm exec pasis trigger --replay <delivery_id> --sandbox ${sandboxUrl}
               pnpm exec pasis trigger --replay <delivery_id> --new-id --sandbox ${sandboxUrl}
               curl -X POST ${sandboxUrl}/_sandbox/deliveries/<delivery_id>/redeliver -H 'content-type: application/json' -d '{"new_id":true}'
    custom     any body, signed with the demo secret; for an order still pending, an amount that does
               not match it (core dedupes a session's outcome, so a settled one answers duplicate)
               pnpm exec pasis trigger --to ${shopUrl}/webhook --secret ${app.webhook_secret} --session-id <session_id> --override amount=1
               add --duplicate 5 for concurrent copies, --unsigned for no signature at all
`);
