import type { SessionProcessedEvent } from '../../events/types.js';

/**
 * A `session:processed` event as Pasis sends it, for tests: a paid session (`sess_1`,
 * 5,000 RWF, `success`) unless told otherwise. Every field can be overridden, an extra one
 * added; sign it with {@link signWebhook} to deliver it.
 *
 * @example
 * const event = createTestEvent({ session_id: 'sess_42', status: 'cancelled' });
 * const { body, headers } = signWebhook(event, { secret });
 */
export function createTestEvent(overrides: Partial<SessionProcessedEvent> = {}): SessionProcessedEvent {
  return { kind: 'session:processed', session_id: 'sess_1', amount: 5000, status: 'success', ...overrides };
}
