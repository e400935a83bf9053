import { parseArgs } from 'node:util';
import { parseDuration } from '../durations.js';
import { UsageError } from './errors.js';
import { buildEventBody } from './event-body.js';
import { DEFAULT_SANDBOX_URL, replay } from './replay.js';
import { accepted, sendEvent } from './send-event.js';

export const TRIGGER_HELP = `Usage: pasis trigger [session:processed] --to <url> --secret <whsec_…> [options]
       pasis trigger --replay <delivery_id> [--new-id] [--sandbox <url>]

Sends a signed event to a receiver, prints its answer, exits non-zero unless it is 2xx.
With --replay, asks a running sandbox to redeliver one of its deliveries instead.

Options:
  --to <url>              the receiver (required unless --replay)
  --secret <whsec_…>      the signing secret (default $PASIS_WEBHOOK_SECRET)
  --session-id <id>       session_id (default a fresh sess_trigger_…)
  --amount <n>            amount in RWF (default 5000)
  --status <s>            success | cancelled (default success)
  --data <json|@file>     the whole event body, instead of the three above
  --override <key=value>  set one field (repeatable; a.b=… for a nested one); a value that
                          parses as JSON is JSON, so amount=4321 is a number
  --id <id>               webhook-id (default a fresh msg_…)
  --duplicate <n>         send n identical copies at the same moment, one webhook-id (default 1);
                          exits 0 when one is 2xx and the others 2xx or 409 (in progress)
  --unsigned              send the body alone: no webhook-id, -timestamp or -signature header
  --replay <delivery_id>  redeliver a sandbox delivery and print the receiver's answer
  --new-id                with --replay: as a fresh delivery under a new webhook-id
  --sandbox <url>         with --replay: the sandbox (default ${DEFAULT_SANDBOX_URL})
  --wait <duration>       with --replay: how long to wait for the answer (default 15s; 0s: do not wait)
  -h, --help              show this help
`;

/** `pasis trigger`: send one signed event (or N copies, or unsigned), or replay a sandbox delivery. */
export async function triggerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      secret: { type: 'string' },
      'session-id': { type: 'string' },
      amount: { type: 'string' },
      status: { type: 'string' },
      data: { type: 'string' },
      override: { type: 'string', multiple: true },
      id: { type: 'string' },
      duplicate: { type: 'string', default: '1' },
      unsigned: { type: 'boolean', default: false },
      replay: { type: 'string' },
      'new-id': { type: 'boolean', default: false },
      sandbox: { type: 'string', default: DEFAULT_SANDBOX_URL },
      wait: { type: 'string', default: '15s' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(TRIGGER_HELP);
    return 0;
  }
  const out = (text: string) => void process.stdout.write(text);
  if (values.replay !== undefined) {
    return await replay({
      sandbox: values.sandbox,
      deliveryId: values.replay,
      newId: values['new-id'],
      waitMs: parseDuration(values.wait, '--wait'),
      out,
    });
  }
  const secret = values.secret ?? process.env.PASIS_WEBHOOK_SECRET;
  const copies = Number(values.duplicate);
  const problems = [
    !values.to && '--to is required',
    !values.unsigned && !secret && '--secret is required (or set PASIS_WEBHOOK_SECRET, or pass --unsigned)',
    (!Number.isInteger(copies) || copies < 1 || copies > 100) &&
      '--duplicate must be a whole number from 1 to 100',
    values['new-id'] && '--new-id goes with --replay',
  ].filter(Boolean);
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const event = buildEventBody({
    kind: positionals[0],
    data: values.data,
    overrides: values.override,
    sessionId: values['session-id'],
    amount: values.amount,
    status: values.status,
  });
  const { answers } = await sendEvent({
    to: values.to!,
    body: JSON.stringify(event),
    ...(values.unsigned ? {} : { secret: secret! }),
    id: values.id,
    copies,
  });
  answers.forEach((answer, i) => {
    const label = copies > 1 ? `[copy ${i + 1}/${copies}] ` : '';
    if ('error' in answer)
      process.stderr.write(`${label}pasis trigger: could not reach ${values.to}: ${answer.error}\n`);
    else out(`${label}${answer.status} ${answer.statusText}\n${answer.text}\n`);
  });
  return accepted(answers) ? 0 : 1;
}
