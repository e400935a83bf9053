import { parseArgs } from 'node:util';
import { formatDuration, parseDuration, parseRetrySchedule } from '../durations.js';
import { invalidHostEntries } from '../guard/hosts.js';
import {
  DEFAULT_APPROVAL_WINDOW_MS,
  DEFAULT_WEBHOOK_DELAY_MS,
  WEBHOOK_BEHAVIOURS,
  type WebhookBehaviour,
} from '../model.js';
import { checkPublicUrl } from '../options.js';
import {
  APPROVING_NUMBER,
  DECLINING_NUMBER,
  DEFAULT_APPROVED_NUMBERS,
  SILENT_NUMBER,
} from '../payment-rules.js';
import { createSandbox } from '../server.js';
import type { RegisterAppInput } from '../service.js';
import { listenFailure, UsageError } from './errors.js';
import { sandboxOutput } from './print-env.js';

/** Where `pasis sandbox` keeps its data unless told: in the working directory. */
export const DEFAULT_DATA_DIR = '.pasis-sandbox';

export const SANDBOX_HELP = `Usage: pasis sandbox [options]

Runs an offline Pasis Checkout with one registered app, until Ctrl-C. Apps, sessions,
deliveries and attempts are kept in --data-dir (plain files, owner-only; one sandbox at a
time): a restart forgets nothing, the app keeps its id and secret, and pending retries
resume on their schedule. An error prints one line and exits 2 (a usage mistake) or 1.

Options:
  --port <n>                 port to listen on (default 4010; 0 picks a free one)
  --host <host>              host to bind (default 127.0.0.1)
  --allowed-host <name>      answer to this Host too, name or name:port (repeatable), e.g. sandbox
                             in a container; other Hosts get 421 (default: loopback names and --host)
  --public-url <url>         the base URL of payment links and PASIS_BASE_URL when it is not the bound
                             address, e.g. http://localhost:4010 for a container bound to 0.0.0.0
  --data-dir <dir>           where the data lives (default ./${DEFAULT_DATA_DIR}; delete it to start afresh)
  --in-memory                keep nothing: forget everything on exit
  --print-env                print PASIS_BASE_URL=, PASIS_APP_ID= and PASIS_WEBHOOK_SECRET= lines on
                             stdout before serving, and nothing else there (the rest goes to stderr)
  --retry-schedule <list>    waits between retries, e.g. 1s,5s,30s, or none (default 5s,30s,2m,10m,30m,1h)
  --webhook <behaviour>      deliver | lose | duplicate | delay, for sessions completed without a choice (default deliver)
  --webhook-delay <d>        the wait of delay, e.g. 5s (default 30s)
  --delivery-timeout <d>     per-attempt timeout (default 10s)
  --approval-window <d>      how long ${SILENT_NUMBER}'s phone shows the prompt, unanswered, before the
                             session ends cancelled, e.g. 2s (default 5m)
  --rate-limit <n>           at most n requests per second per app on /api/checkouts/*, then
                             429 rate_limited with Retry-After (default: no limit)
  --app-id <id>              app id (default $PASIS_APP_ID, else the data dir's app, else generated)
  --webhook-secret <s>       whsec_ secret (default $PASIS_WEBHOOK_SECRET, else the app's, else generated)
  --callback-url <url>       where webhooks go (default $PASIS_CALLBACK_URL, else http://127.0.0.1:3000/webhook)
  --return-url <url>         where customers return (default $PASIS_RETURN_URL, else http://127.0.0.1:3000/return)
  --name <name>              merchant name shown on the pay page (default "Sandbox shop")
  --verified                 accept any phone number (default: unverified, approved numbers only)
  --approved-number <n>      an approved phone number; repeat up to 3 times
                             (default ${DEFAULT_APPROVED_NUMBERS.join(', ')}, or the data dir app's)
  -h, --help                 show this help

GET /_sandbox/health answers 200 {"ok":true} once it serves. In CI, for example:
  pasis sandbox --in-memory --print-env > .env &
  until curl -sf http://127.0.0.1:4010/_sandbox/health; do sleep 0.2; done   # .env is complete now
`;

/** `pasis sandbox`: start the sandbox, print what to paste, run until a signal. */
export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'allowed-host': { type: 'string', multiple: true },
      'public-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'in-memory': { type: 'boolean', default: false },
      'retry-schedule': { type: 'string' },
      webhook: { type: 'string', default: 'deliver' },
      'webhook-delay': { type: 'string', default: formatDuration(DEFAULT_WEBHOOK_DELAY_MS) },
      'delivery-timeout': { type: 'string', default: '10s' },
      'approval-window': { type: 'string', default: formatDuration(DEFAULT_APPROVAL_WINDOW_MS) },
      'rate-limit': { type: 'string' },
      'app-id': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'callback-url': { type: 'string' },
      'return-url': { type: 'string' },
      name: { type: 'string' },
      verified: { type: 'boolean' },
      'approved-number': { type: 'string', multiple: true },
      'print-env': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(SANDBOX_HELP);
    return 0;
  }
  if (values['in-memory'] && values['data-dir'] !== undefined) {
    throw new UsageError('--in-memory and --data-dir exclude each other: pass one');
  }
  if (!(WEBHOOK_BEHAVIOURS as readonly string[]).includes(values.webhook)) {
    throw new UsageError(
      `--webhook must be one of ${WEBHOOK_BEHAVIOURS.join(', ')}, not "${values.webhook}"`,
    );
  }
  const badHost = invalidHostEntries(values['allowed-host'] ?? [])[0];
  if (badHost !== undefined) {
    throw new UsageError(
      `--allowed-host "${badHost}" is not a host name: write a name or address, optionally with :port`,
    );
  }
  const rateLimit = values['rate-limit'];
  if (rateLimit !== undefined && (!/^\d{1,9}$/.test(rateLimit) || Number(rateLimit) < 1)) {
    throw new UsageError(
      `--rate-limit must be a whole number of requests per second, at least 1, not "${rateLimit}"`,
    );
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535 (0 picks a free one), not "${values.port}"`,
    );
  }
  const env = process.env;
  const output = sandboxOutput(values['print-env']);
  const sandbox = createSandbox({
    logger: output.logger,
    dataDir: values['in-memory'] ? undefined : (values['data-dir'] ?? DEFAULT_DATA_DIR),
    ...(values['retry-schedule'] !== undefined
      ? { retrySchedule: parseRetrySchedule(values['retry-schedule']) }
      : {}),
    webhook: values.webhook as WebhookBehaviour,
    webhookDelayMs: parseDuration(values['webhook-delay'], '--webhook-delay'),
    deliveryTimeoutMs: Math.max(1, parseDuration(values['delivery-timeout'], '--delivery-timeout')),
    allowedHosts: values['allowed-host'] ?? [],
    approvalWindowMs: parseDuration(values['approval-window'], '--approval-window'),
    ...(rateLimit !== undefined ? { rateLimit: Number(rateLimit) } : {}),
    ...(values['public-url'] !== undefined
      ? { publicUrl: checkPublicUrl(values['public-url'], '--public-url') }
      : {}),
  });
  try {
    // The app of a previous run keeps its id and secret (your shop's environment stays valid);
    // what is given now, by flag or environment, wins.
    const appId = values['app-id'] ?? env.PASIS_APP_ID;
    const previous = appId ? sandbox.store.apps.get(appId) : [...sandbox.store.apps.values()][0];
    const given: Partial<RegisterAppInput> = {
      name: values.name,
      webhook_secret: values['webhook-secret'] ?? env.PASIS_WEBHOOK_SECRET,
      callback_url: values['callback-url'] ?? env.PASIS_CALLBACK_URL,
      return_url: values['return-url'] ?? env.PASIS_RETURN_URL,
      verified: values.verified,
      approved_numbers: values['approved-number'],
    };
    const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ''));
    // Registering the app again keeps its secret, approved numbers and verification unless
    // given; a new one is unverified with the three test numbers.
    const app = sandbox.registerApp({
      name: 'Sandbox shop',
      callback_url: 'http://127.0.0.1:3000/webhook',
      return_url: 'http://127.0.0.1:3000/return',
      ...(previous
        ? { name: previous.name, callback_url: previous.callback_url, return_url: previous.return_url }
        : {}),
      app_id: appId || previous?.app_id,
      ...defined,
    });
    const url = await sandbox.listen(port, values.host).catch((error: unknown) => {
      throw listenFailure(error, port, values.host);
    });
    output.printEnv(url, app);
    const { store } = sandbox;
    const pending = [...store.deliveries.values()].filter((d) => d.state === 'pending').length;
    const data = store.dataDir
      ? `${store.dataDir} (${store.sessions.size} sessions, ${store.deliveries.size} deliveries, ${pending} pending)`
      : 'in memory: forgotten on exit';
    output.banner(`Pasis sandbox listening on ${url}
  dashboard:    ${url}/
  data:         ${data}
  app_id:       ${app.app_id}${previous ? ' (kept from the data dir)' : ''}
  secret:       ${app.webhook_secret}
  callback_url: ${app.callback_url}
  return_url:   ${app.return_url}
  account:      ${app.verified ? 'verified (any number)' : `unverified (approved: ${app.approved_numbers.join(', ')})`}
  webhooks:     ${values.webhook}${values.webhook === 'delay' ? ` by ${values['webhook-delay']}` : ''} unless the pay page or the API picks another behaviour

Paste into your shop's environment:
  PASIS_BASE_URL=${url}
  PASIS_APP_ID=${app.app_id}
  PASIS_WEBHOOK_SECRET=${app.webhook_secret}

Test numbers: ${APPROVING_NUMBER} approves, ${DECLINING_NUMBER} declines, ${SILENT_NUMBER} never answers (cancelled after ${values['approval-window']}). Ctrl-C stops.
`);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  output.banner('Sandbox stopped.\n');
  return 0;
}
