import type { PasisLogger } from '../../logging/logger.js';

/** One line a {@link RecordingLogger} kept. */
export interface RecordedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown> | undefined;
}

/** A logger that keeps every line, to check what was logged (and what never is). */
export interface RecordingLogger {
  logger: PasisLogger;
  lines: RecordedLine[];
  /** Every line as one text, errors' messages and stacks included. */
  text(): string;
}

const describeValue = (_key: string, value: unknown) =>
  value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value;

/** A fresh {@link RecordingLogger}. */
export function recordingLogger(): RecordingLogger {
  const lines: RecordedLine[] = [];
  const at = (level: RecordedLine['level']) => (message: string, meta?: Record<string, unknown>) =>
    void lines.push({ level, message, meta });
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    text: () =>
      lines
        .map((line) => `${line.level} ${line.message} ${JSON.stringify(line.meta, describeValue)}`)
        .join('\n'),
  };
}
