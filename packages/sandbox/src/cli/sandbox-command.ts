import { parseArgs } from 'node:util';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox } from '../server.js';

export const SANDBOX_HELP = `Usage: pasis sandbox [options]

Runs an offline Pasis Checkout with one registered app, until Ctrl-C.

Options:
  --port <n>              port to listen on (default 4010; 0 picks a free one)
  --host <host>           host to bind (default 127.0.0.1)
  --app-id <id>           app id (default $PASIS_APP_ID, else generated)
  --webhook-secret <s>    whsec_ secret (default $PASIS_WEBHOOK_SECRET, else generated)
  --callback-url <url>    where webhooks go (default $PASIS_CALLBACK_URL, else http://127.0.0.1:3000/webhook)
  --return-url <url>      where customers return (default $PASIS_RETURN_URL, else http://127.0.0.1:3000/return)
  --name <name>           merchant name shown on the pay page (default "Sandbox shop")
  --verified              accept any phone number (default: unverified, approved numbers only)
  --approved-number <n>   an approved phone number; repeat up to 3 times (default 0780000001, 0780000002)
  -h, --help              show this help
`;

/** `pasis sandbox`: start the sandbox, print what to paste, run until a signal. */
export async function sandboxCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'app-id': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'callback-url': { type: 'string' },
      'return-url': { type: 'string' },
      name: { type: 'string', default: 'Sandbox shop' },
      verified: { type: 'boolean', default: false },
      'approved-number': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(SANDBOX_HELP);
    return 0;
  }
  const env = process.env;
  const sandbox = createSandbox({ logger: console });
  const url = await sandbox.listen(Number(values.port), values.host);
  const app = sandbox.registerApp({
    name: values.name,
    app_id: values['app-id'] ?? env.PASIS_APP_ID,
    webhook_secret: values['webhook-secret'] ?? env.PASIS_WEBHOOK_SECRET ?? generateWebhookSecret(),
    callback_url: values['callback-url'] ?? env.PASIS_CALLBACK_URL ?? 'http://127.0.0.1:3000/webhook',
    return_url: values['return-url'] ?? env.PASIS_RETURN_URL ?? 'http://127.0.0.1:3000/return',
    verified: values.verified,
    approved_numbers: values['approved-number'] ?? ['0780000001', '0780000002'],
  });
  process.stdout.write(`Pasis sandbox listening on ${url}
  dashboard:    ${url}/
  app_id:       ${app.app_id}
  secret:       ${app.webhook_secret}
  callback_url: ${app.callback_url}
  return_url:   ${app.return_url}
  account:      ${app.verified ? 'verified (any number)' : `unverified (approved: ${app.approved_numbers.join(', ')})`}

Paste into your shop's environment:
  PASIS_BASE_URL=${url}
  PASIS_APP_ID=${app.app_id}
  PASIS_WEBHOOK_SECRET=${app.webhook_secret}

Test numbers: 0780000001 approves, 0780000002 declines. Ctrl-C stops.
`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.close();
  process.stdout.write('Sandbox stopped.\n');
  return 0;
}
