import { parseArgs } from 'node:util';
import { signWebhook } from '@pasis/core/testing';

export const TRIGGER_HELP = `Usage: pasis trigger session:processed --to <url> --secret <whsec_…> [options]

Sends one signed event to a receiver, prints its answer, exits non-zero unless it is 2xx.

Options:
  --to <url>            the receiver (required)
  --secret <whsec_…>    the signing secret (default $PASIS_WEBHOOK_SECRET)
  --session-id <id>     session_id (default a fresh sess_trigger_…)
  --amount <n>          amount in RWF (default 5000)
  --status <s>          success | cancelled (default success)
  --id <id>             webhook-id (default a fresh msg_…)
  -h, --help            show this help
`;

/** `pasis trigger`: send one signed `session:processed`. */
export async function triggerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      secret: { type: 'string' },
      'session-id': { type: 'string' },
      amount: { type: 'string', default: '5000' },
      status: { type: 'string', default: 'success' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(TRIGGER_HELP);
    return 0;
  }
  const kind = positionals[0] ?? 'session:processed';
  const secret = values.secret ?? process.env.PASIS_WEBHOOK_SECRET;
  const amount = Number(values.amount);
  const problems = [
    kind !== 'session:processed' && `unsupported event kind "${kind}" (only session:processed)`,
    !values.to && '--to is required',
    !secret && '--secret is required (or set PASIS_WEBHOOK_SECRET)',
    !Number.isSafeInteger(amount) && '--amount must be an integer',
    values.status !== 'success' && values.status !== 'cancelled' && '--status must be success or cancelled',
  ].filter(Boolean);
  if (problems.length > 0) {
    process.stderr.write(`pasis trigger: ${problems.join('; ')}\n\n${TRIGGER_HELP}`);
    return 2;
  }
  const event = {
    kind,
    session_id: values['session-id'] ?? `sess_trigger_${Date.now()}`,
    amount,
    status: values.status,
  };
  const { body, headers } = signWebhook(event, { secret: secret!, ...(values.id ? { id: values.id } : {}) });
  try {
    const res = await fetch(values.to!, { method: 'POST', body, headers, redirect: 'manual' });
    const text = await res.text();
    process.stdout.write(`${res.status} ${res.statusText}\n${text}\n`);
    return res.ok ? 0 : 1;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    process.stderr.write(`pasis trigger: could not reach ${values.to}: ${cause?.code ?? String(error)}\n`);
    return 1;
  }
}
