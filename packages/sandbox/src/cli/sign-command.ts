import { parseArgs } from 'node:util';
import { signWebhook } from '@pasis/core/testing';
import { UsageError } from './errors.js';

export const SIGN_HELP = `Usage: pasis sign --secret <whsec_…> [--id <id>] [--timestamp <unix seconds>] < body.json

Prints the headers a delivery of the body on standard input would carry.

Options:
  --secret <whsec_…>    the signing secret (default $PASIS_WEBHOOK_SECRET)
  --id <id>             webhook-id (default a fresh msg_…)
  --timestamp <n>       webhook-timestamp in Unix seconds (default now)
  -h, --help            show this help
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `pasis sign`: sign standard input, byte for byte. */
export async function signCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      secret: { type: 'string' },
      id: { type: 'string' },
      timestamp: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(SIGN_HELP);
    return 0;
  }
  const secret = values.secret ?? process.env.PASIS_WEBHOOK_SECRET;
  if (!secret) throw new UsageError('--secret is required (or set PASIS_WEBHOOK_SECRET)');
  if (values.timestamp !== undefined && !/^\d+$/.test(values.timestamp)) {
    throw new UsageError(`--timestamp must be Unix seconds, not "${values.timestamp}"`);
  }
  const { headers } = signWebhook(await readStdin(), {
    secret,
    ...(values.id ? { id: values.id } : {}),
    ...(values.timestamp ? { timestamp: Number(values.timestamp) } : {}),
  });
  for (const [name, value] of Object.entries(headers)) process.stdout.write(`${name}: ${value}\n`);
  return 0;
}
