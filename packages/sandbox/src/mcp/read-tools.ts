import { z } from 'zod';
import type { DeliveryAttempt, SandboxDelivery, SandboxSession } from '../model.js';
import { filtersSchema } from '../validation.js';
import { defineTool, type SandboxTool, segment } from './tool.js';

// Lists are newest first; a long-running sandbox holds thousands of rows an agent does not need.
const limit = z
  .number()
  .int()
  .min(1)
  .max(500)
  .optional()
  .default(50)
  .describe('at most this many, newest first (default 50)');

/**
 * An attempt without its request (headers, signature, body): what a list, or the answer to a
 * redelivery, needs.
 *
 * @example
 * attemptSummary(delivery.attempts[0]); // { attempt: 1, reason: 'first', at, status_code: 500, response_body: '…', … }
 */
export function attemptSummary(attempt: DeliveryAttempt) {
  return {
    attempt: attempt.attempt,
    reason: attempt.reason,
    at: attempt.at,
    ...(attempt.status_code === undefined ? {} : { status_code: attempt.status_code }),
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
    ...(attempt.response
      ? { response_body: attempt.response.body, response_body_truncated: attempt.response.body_truncated }
      : {}),
    duration_ms: attempt.duration_ms,
  };
}

function deliverySummary(delivery: SandboxDelivery) {
  const last = delivery.attempts.at(-1);
  return {
    id: delivery.id,
    webhook_id: delivery.webhook_id,
    app_id: delivery.app_id,
    session_id: delivery.session_id,
    event_status: delivery.event.status,
    url: delivery.url,
    behaviour: delivery.behaviour,
    state: delivery.state,
    attempts: delivery.attempts.length,
    ...(last ? { last_attempt: attemptSummary(last) } : {}),
    ...(delivery.next_retry_at ? { next_retry_at: delivery.next_retry_at } : {}),
    ...(delivery.redelivery_of ? { redelivery_of: delivery.redelivery_of } : {}),
    created_at: delivery.created_at,
  };
}

/** The tools that only read: always listed. */
export const READ_TOOLS: SandboxTool[] = [
  defineTool({
    name: 'list_sessions',
    title: 'List checkout sessions',
    description:
      'Checkout sessions in the Pasis sandbox, newest first, with their status (open, success, cancelled). ' +
      'Filter by app_id and status. Returns { total, data: [session…] }.',
    write: false,
    input: filtersSchema.pick({ app_id: true, status: true }).extend({ limit }),
    async run({ limit, ...filters }, { api }) {
      const { data } = await api.get<{ data: SandboxSession[] }>('/_sandbox/sessions', filters);
      return { total: data.length, data: data.slice(0, limit) };
    },
  }),
  defineTool({
    name: 'get_session',
    title: 'Get a checkout session',
    description:
      'One checkout session of the Pasis sandbox: items, amount, status, payment_link, created_at, completed_at.',
    write: false,
    input: z.object({ session_id: z.string().min(1) }),
    run: ({ session_id }, { api }) => api.get(`/_sandbox/sessions/${segment(session_id)}`),
  }),
  defineTool({
    name: 'list_deliveries',
    title: 'List webhook deliveries',
    description:
      'Webhook deliveries of the Pasis sandbox, newest first: each with its state (pending, delivered, failed, ' +
      'lost), the number of attempts and the last one (status_code or network error, and the start of the ' +
      "shop's answer). Filter by app_id, session_id, status (the event's: success, cancelled) and state. " +
      'get_delivery shows every attempt in full.',
    write: false,
    input: filtersSchema.extend({ limit }),
    async run({ limit, ...filters }, { api }) {
      const { data } = await api.get<{ data: SandboxDelivery[] }>('/_sandbox/deliveries', filters);
      return { total: data.length, data: data.slice(0, limit).map(deliverySummary) };
    },
  }),
  defineTool({
    name: 'get_delivery',
    title: 'Get a webhook delivery',
    description:
      'One webhook delivery of the Pasis sandbox with the event and every attempt: the exact request (headers, ' +
      "signature, body) and the shop's answer (status, headers, first 4 KiB of the body) or the network error.",
    write: false,
    input: z.object({ delivery_id: z.string().min(1) }),
    run: ({ delivery_id }, { api }) => api.get(`/_sandbox/deliveries/${segment(delivery_id)}`),
  }),
];
