/**
 * How a log line and its fields read as text, for loggers that only take a string (the
 * default logger's process warnings). Structured loggers get the fields as they are.
 */

/** The most an error's text may take in one line: a flood of huge stacks cannot fill a disk. */
export const MAX_ERROR_TEXT = 4_000;

/** How many `cause`s are followed: a cycle or a deep chain stops here. */
const MAX_CAUSES = 3;

function ownText(error: unknown): string {
  if (error instanceof Error) {
    // V8's stack starts with `Name: message`; an error without one (or a thrown string) still says what it was.
    const stack = typeof error.stack === 'string' && error.stack !== '' ? error.stack : undefined;
    return stack ?? `${error.name}: ${error.message}`;
  }
  return typeof error === 'string' ? error : String(error);
}

/**
 * The text of a thrown value for a log line: its stack (name and message first), then each
 * `cause` (up to three), cut at {@link MAX_ERROR_TEXT} characters.
 *
 * @example
 * describeError(new Error('db down', { cause: pgError }));
 * // 'Error: db down\n    at …\nCaused by: error: connection refused\n    at …'
 */
export function describeError(error: unknown): string {
  let text = ownText(error);
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    text += `\nCaused by: ${ownText(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}… (cut)` : text;
}

/** The first line of a thrown value: `Name: message`, for a log line's own text. */
export function errorSummary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : ownText(error);
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * One log line as text: the message, its plain fields as `key=value`, and an `error` field's
 * stack and causes on the lines below. Fields that are neither text, numbers nor booleans are
 * left out: they belong to structured loggers.
 *
 * @example
 * formatLogLine('Pasis webhook rejected: no_matching_signature', { deliveryId: 'msg_1' });
 * // 'Pasis webhook rejected: no_matching_signature (deliveryId=msg_1)'
 */
export function formatLogLine(message: string, meta?: Record<string, unknown>): string {
  if (meta === undefined) return message;
  const fields: string[] = [];
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'error') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      fields.push(`${key}=${value}`);
    }
  }
  const line = fields.length > 0 ? `${message} (${fields.join(', ')})` : message;
  return meta.error === undefined ? line : `${line}\n${describeError(meta.error)}`;
}
