import { z } from 'zod';
import { buildEventBody } from '../cli/event-body.js';
import { redeliver } from '../cli/replay.js';
import { accepted, sendEvent } from '../cli/send-event.js';
import { RESPONSE_BODY_LIMIT } from '../model.js';
import { APPROVING_NUMBER, DECLINING_NUMBER } from '../payment-rules.js';
import { INITIATE_PATH } from '../routes/api.js';
import { completeSchema, initiateSchema, redeliverSchema, registerAppSchema } from '../validation.js';
import { attemptSummary } from './read-tools.js';
import { defineTool, findApp, type SandboxTool, segment } from './tool.js';

const appId = z.string().min(1).optional().describe("the app's id (default: the sandbox's only app)");

/** `pasis trigger`'s event flags, as one tool input. */
const triggerInput = z
  .object({
    app_id: appId,
    to: registerAppSchema.shape.callback_url
      .optional()
      .describe("the receiver (default: the app's callback_url)"),
    event: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('the whole event body, instead of session_id, amount and status'),
    session_id: z.string().min(1).optional().describe('default: a fresh sess_trigger_…'),
    amount: z.number().int().optional().describe('in RWF (default 5000)'),
    status: completeSchema.shape.status.optional().describe('default success'),
    webhook_id: z.string().min(1).optional().describe('default: a fresh msg_…'),
    duplicate: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('identical copies at the same moment (default 1)'),
    unsigned: z.boolean().optional().describe('send no webhook-* headers at all'),
  })
  .refine(
    (input) =>
      input.event === undefined ||
      [input.session_id, input.amount, input.status].every((v) => v === undefined),
    {
      path: ['event'],
      message: 'is the whole body: leave out session_id, amount and status',
    },
  );

/** The tools that change the sandbox or send to a shop: only with `--allow-write`. */
export const WRITE_TOOLS: SandboxTool[] = [
  defineTool({
    name: 'create_session',
    title: 'Create a checkout session',
    description:
      "Create a checkout session as a shop's server would (POST /api/checkouts/initiate): items with name and " +
      "Amount (a positive integer in RWF), the customer email, and app_id (default: the sandbox's only app). " +
      'Returns session_id, amount and payment_link.',
    write: true,
    input: initiateSchema.partial({ app_id: true }),
    async run(input, { api }) {
      const app_id = input.app_id ?? (await findApp(api, undefined)).app_id;
      return { app_id, ...(await api.post<object>(INITIATE_PATH, { ...input, app_id })) };
    },
  }),
  defineTool({
    name: 'complete_session',
    title: 'Complete a checkout session',
    description:
      `Act as the customer on the hosted page: status success (pay) or cancelled. phone ${APPROVING_NUMBER} ` +
      `approves (the default), ${DECLINING_NUMBER} declines (the session ends cancelled); an unverified app ` +
      'accepts only its approved numbers. webhook: deliver (default), lose, duplicate or delay (with delay_ms). ' +
      "Returns the session and its delivery_id; the shop's answer follows: see get_delivery.",
    write: true,
    input: completeSchema.safeExtend({ session_id: z.string().min(1) }),
    run: ({ session_id, ...body }, { api }) =>
      api.post(`/_sandbox/sessions/${segment(session_id)}/complete`, body),
  }),
  defineTool({
    name: 'redeliver',
    title: 'Redeliver a webhook',
    description:
      'Send a delivery again now, with the same webhook-id (or new_id: true for a fresh delivery under a new ' +
      "webhook-id), as `pasis trigger --replay` does, and wait up to wait_ms for the shop's answer.",
    write: true,
    input: redeliverSchema.pick({ new_id: true }).extend({
      delivery_id: z.string().min(1),
      wait_ms: z.number().int().min(0).max(60_000).optional().default(15_000).describe("0: don't wait"),
    }),
    async run(input, { api }) {
      const { sent, attempt } = await redeliver({
        sandbox: api.base,
        deliveryId: input.delivery_id,
        newId: input.new_id,
        waitMs: input.wait_ms,
      });
      return {
        delivery_id: sent.id,
        ...(sent.redelivery_of ? { redelivery_of: sent.redelivery_of } : {}),
        webhook_id: sent.webhook_id,
        url: sent.url,
        answer: attempt ? attemptSummary(attempt) : null,
        ...(attempt || input.wait_ms === 0
          ? {}
          : { note: `no answer within ${input.wait_ms} ms: see get_delivery` }),
      };
    },
  }),
  defineTool({
    name: 'trigger_event',
    title: 'Send a signed webhook event',
    description:
      "Send a session:processed event straight to a shop, signed with the app's webhook secret, as `pasis " +
      "trigger` does (no session needed): to defaults to the app's callback_url. Returns each copy's answer.",
    write: true,
    input: triggerInput,
    async run(input, { api }) {
      const app = input.unsigned && input.to ? undefined : await findApp(api, input.app_id);
      const to = input.to ?? app!.callback_url;
      const body = JSON.stringify(
        buildEventBody({
          ...(input.event === undefined ? {} : { data: JSON.stringify(input.event) }),
          sessionId: input.session_id,
          amount: input.amount?.toString(),
          status: input.status,
        }),
      );
      const sent = await sendEvent({
        to,
        body,
        ...(input.unsigned ? {} : { secret: app!.webhook_secret }),
        id: input.webhook_id,
        copies: input.duplicate,
      });
      return {
        to,
        webhook_id: sent.webhookId ?? null,
        event: JSON.parse(body) as unknown,
        accepted: accepted(sent.answers),
        answers: sent.answers.map((answer) =>
          'error' in answer
            ? { error: answer.error }
            : { status: answer.status, body: answer.text.slice(0, RESPONSE_BODY_LIMIT) },
        ),
      };
    },
  }),
];
