import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** What `pasis trigger` builds its event body from. */
export interface EventBodyInput {
  /** The positional kind, when one was given. */
  kind?: string;
  /** `--data`: JSON text, or `@path` to read it from a file. */
  data?: string;
  /** `--override key=value`, in order; `a.b=1` sets a nested key. */
  overrides?: string[];
  sessionId?: string;
  amount?: string;
  status?: string;
}

/** A value that parses as JSON is taken as JSON (`4321`, `true`, `{"a":1}`); anything else is text. */
export function parseOverrideValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readData(data: string): unknown {
  let text = data;
  if (data.startsWith('@')) {
    try {
      text = readFileSync(data.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(
        `--data ${data}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('--data must be JSON (or @file.json)');
  }
}

function applyOverride(body: Record<string, unknown>, override: string) {
  const eq = override.indexOf('=');
  const path = eq > 0 ? override.slice(0, eq).split('.') : [];
  if (path.length === 0 || path.some((part) => part === '')) {
    throw new UsageError(`--override "${override}" must be key=value (a.b=value for a nested key)`);
  }
  let target = body;
  for (const part of path.slice(0, -1)) {
    const next = target[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[path.at(-1)!] = parseOverrideValue(override.slice(eq + 1));
}

/**
 * The body `pasis trigger` sends: `--data` as given, else a `session:processed` built from
 * `--session-id`, `--amount` and `--status`; then each `--override` on top.
 *
 * @example
 * buildEventBody({ overrides: ['amount=4321'] }); // { kind: 'session:processed', …, amount: 4321 }
 */
export function buildEventBody(input: EventBodyInput): unknown {
  let body: unknown;
  if (input.data !== undefined) {
    const flags = [
      input.sessionId !== undefined && '--session-id',
      input.amount !== undefined && '--amount',
      input.status !== undefined && '--status',
    ].filter(Boolean);
    if (flags.length > 0) {
      throw new UsageError(`--data gives the whole body: use --override instead of ${flags.join(', ')}`);
    }
    body = readData(input.data);
    if (input.kind !== undefined && typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const record = body as Record<string, unknown>;
      if (record.kind !== undefined && record.kind !== input.kind) {
        throw new UsageError(
          `the kind "${input.kind}" differs from the kind in --data ("${String(record.kind)}")`,
        );
      }
      record.kind = input.kind;
    }
  } else {
    const kind = input.kind ?? 'session:processed';
    if (kind !== 'session:processed') {
      throw new UsageError(`only session:processed has a default body; give --data for "${kind}"`);
    }
    const amount = Number(input.amount ?? '5000');
    if (!Number.isSafeInteger(amount)) throw new UsageError('--amount must be an integer');
    const status = input.status ?? 'success';
    if (status !== 'success' && status !== 'cancelled')
      throw new UsageError('--status must be success or cancelled');
    body = { kind, session_id: input.sessionId ?? `sess_trigger_${Date.now()}`, amount, status };
  }
  const overrides = input.overrides ?? [];
  if (overrides.length > 0 && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new UsageError('--override needs a JSON object body');
  }
  for (const override of overrides) applyOverride(body as Record<string, unknown>, override);
  return body;
}
