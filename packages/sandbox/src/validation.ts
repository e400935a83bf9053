import { z } from 'zod';
import { MAX_WAIT_MS } from './durations.js';
import { HttpError } from './http.js';
import {
  DELIVERY_STATES,
  type DeliveryState,
  type SandboxSession,
  SESSION_STATUSES,
  WEBHOOK_BEHAVIOURS,
  type WebhookBehaviour,
} from './model.js';

// Exactly CONTRACT §1, in the provider's wire spelling (`Amount`).
export const initiateSchema = z.object({
  items: z
    .array(
      z.object({
        name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
        Amount: z
          .number()
          .int('must be an integer')
          .positive('must be positive')
          .max(Number.MAX_SAFE_INTEGER),
      }),
    )
    .min(1, 'must contain at least one item')
    .max(100, 'must contain at most 100 items')
    // The total is the event's `amount`, which every receiver checks is a safe integer.
    .refine((items) => Number.isSafeInteger(items.reduce((sum, item) => sum + item.Amount, 0)), {
      message: 'the total amount must be a safe integer',
    }),
  app_id: z.string().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  email: z.email('must be a valid email address').max(254, 'must be at most 254 characters'),
});

const phone = z.string().regex(/^\+?[0-9 ]{9,15}$/, 'must be a phone number');
/** The longest callback or return URL an app may register. */
export const MAX_URL_LENGTH = 2048;
const url = z
  .url({ protocol: /^https?$/ })
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`);

export const registerAppSchema = z.object({
  name: z.string().trim().min(1).max(200),
  callback_url: url,
  return_url: url,
  // Left out: a new app is unverified with the three test numbers; an app registered again
  // keeps what it had (service.ts).
  verified: z.boolean().optional(),
  approved_numbers: z.array(phone).max(3, 'an unverified app may have at most 3 approved numbers').optional(),
  app_id: z.string().min(1).max(100).optional(),
  webhook_secret: z.string().startsWith('whsec_').max(256, 'must be at most 256 characters').optional(),
});

/** `POST /_sandbox/sessions/:id/complete` (CONTRACT §4). */
export const completeSchema = z
  .object({
    status: z.enum(['success', 'cancelled']),
    phone: phone.optional(),
    webhook: z.enum(WEBHOOK_BEHAVIOURS as [WebhookBehaviour, ...WebhookBehaviour[]]).optional(),
    delay_ms: z
      .number()
      .int('must be a whole number')
      .min(0)
      .max(MAX_WAIT_MS, 'must be at most 24 h')
      .optional(),
    approval_window_ms: z
      .number()
      .int('must be a whole number')
      .min(0)
      .max(MAX_WAIT_MS, 'must be at most 24 h')
      .optional(),
  })
  .refine((body) => body.delay_ms === undefined || body.webhook === 'delay', {
    path: ['delay_ms'],
    message: 'is only for webhook: "delay"',
  })
  .refine((body) => body.approval_window_ms === undefined || body.status === 'success', {
    path: ['approval_window_ms'],
    message: 'is only for a payment (status: "success")',
  });

/** `POST /_sandbox/deliveries/:id/redeliver`: JSON `{ new_id: true }`, or the form's `new_id=true`. */
export const redeliverSchema = z.object({
  new_id: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional()
    .default(false),
  return_to: z.string().max(MAX_URL_LENGTH).optional(),
});

/**
 * The list routes' filters (`GET /_sandbox/sessions`, `GET /_sandbox/deliveries`, the
 * dashboard), one query parameter each; every one optional. `status` is a session's (for a
 * delivery, its event's), `state` a delivery's.
 *
 * @example
 * filtersSchema.parse({ status: 'open' }); // { status: 'open' }
 */
export const filtersSchema = z.object({
  app_id: z.string().optional(),
  session_id: z.string().optional(),
  status: z
    .enum(SESSION_STATUSES as [SandboxSession['status'], ...SandboxSession['status'][]], {
      error: `must be one of ${SESSION_STATUSES.join(', ')}`,
    })
    .optional(),
  state: z
    .enum(DELIVERY_STATES as [DeliveryState, ...DeliveryState[]], {
      error: `must be one of ${DELIVERY_STATES.join(', ')}`,
    })
    .optional(),
});

/** Parses `value` or throws a 400 `invalid_request` with `{ path, message }` issues. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: issue.message,
  }));
  const first = issues[0];
  throw new HttpError(
    400,
    'invalid_request',
    first ? `${first.path.join('.') || 'body'}: ${first.message}` : 'Invalid request.',
    { issues },
  );
}
