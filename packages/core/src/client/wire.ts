/**
 * The provider's wire format (CONTRACT §1 and §1b), in one place: the paths, the request
 * body with its capitalised `Amount`, the session answer and the error envelope. Change
 * the spelling here, and only here, if the provider publishes something else. (The answer
 * to a retrieve has its own file, retrieved-session.ts.)
 */

import type { PasisIssue } from '../errors.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { lazySchema } from '../util/lazy-zod.js';
import type { CreateSessionParams } from './params.js';
import { httpUrlHref } from './payment-link.js';

/** Path of the initiate endpoint, relative to `baseUrl` (which always ends with `/`). */
export const INITIATE_PATH = 'api/checkouts/initiate';

/**
 * The retrieve endpoint (CONTRACT §1b, the project's convention: the provider documents
 * none), relative to `baseUrl`: `api/checkouts/{session_id}?app_id={app_id}`.
 */
export const RETRIEVE_PATH = 'api/checkouts/{session_id}';

// Visible ASCII, at most 255 characters (the events' own bound): what a provider's id looks
// like. '.' and '..' would be read as dot segments by the URL parser and leave the path.
const SESSION_ID_PATTERN = /^[!-~]{1,255}$/;

/** Whether `id` can be a Pasis session id (checked before any request is sent). */
export function isValidSessionId(id: unknown): id is string {
  return typeof id === 'string' && SESSION_ID_PATTERN.test(id) && id !== '.' && id !== '..';
}

/** What {@link isValidSessionId} requires, for error messages. */
export const SESSION_ID_RULE = "1 to 255 visible ASCII characters, not '.' or '..'";

/** The retrieve path for one session, both parts percent-encoded, relative to `baseUrl`. */
export function retrievePath(sessionId: string, appId: string): string {
  const path = RETRIEVE_PATH.replace('{session_id}', encodeURIComponent(sessionId));
  return `${path}?app_id=${encodeURIComponent(appId)}`;
}

/** The request body exactly as the provider's example spells it. */
export interface WireInitiateBody {
  items: { name: string; Amount: number }[];
  app_id: string;
  email: string;
}

/** Maps our `amount` to the wire's `Amount`: the one place the two spellings meet. */
export function toWireBody(appId: string, params: CreateSessionParams): WireInitiateBody {
  return {
    items: params.items.map((item) => ({ name: item.name, Amount: item.amount })),
    app_id: appId,
    email: params.email,
  };
}

/**
 * A created checkout session, as Pasis answers it. Unknown extra fields are kept, so a
 * newer provider field is readable before the SDK knows its name.
 *
 * @example
 * const session: CheckoutSession = await pasis.checkout.sessions.create(params);
 * res.redirect(303, session.payment_link);
 */
export interface CheckoutSession {
  /** The provider's id, e.g. `sess_12345`; webhooks refer to it. */
  session_id: string;
  /** The sum of the items' amounts, in RWF. */
  amount: number;
  /** `session:created` today. */
  kind: 'session:created' | (string & {});
  /** Where to send the customer (an http(s) URL). */
  payment_link: string;
  /** ISO 8601 timestamp. */
  created_at: string;
  /** Fields the provider may add later. */
  [field: string]: unknown;
}

/**
 * Whether a `payment_link` is http(s): callers redirect browsers to it. A plain URL parse
 * rather than z.url(), which costs about three times as much on every create
 * (bench/client.bench.mjs).
 */
export function isHttpUrl(value: string): boolean {
  return httpUrlHref(value) !== undefined;
}

/**
 * The rules for a session answer; the source of every `invalid_response` explanation.
 * Loose: extra fields pass through untouched (forward compatibility).
 */
export const sessionSchema = lazySchema((z) =>
  z.looseObject({
    session_id: z.string().min(1),
    amount: z.number(),
    kind: z.string(),
    payment_link: z.string().refine(isHttpUrl, { error: 'must be an http(s) URL' }),
    created_at: z.string(),
  }),
);

/**
 * The same rules as `sessionSchema` without zod, for the hot path; held to zod's verdict by
 * a property test (wire.test.ts). A valid body is returned as parsed: it is already a fresh
 * object, so there is nothing to copy.
 */
export function isCheckoutSession(json: unknown): json is CheckoutSession {
  return (
    isPlainObject(json) &&
    typeof json.session_id === 'string' &&
    json.session_id !== '' &&
    typeof json.amount === 'number' &&
    Number.isFinite(json.amount) &&
    typeof json.kind === 'string' &&
    typeof json.payment_link === 'string' &&
    isHttpUrl(json.payment_link) &&
    typeof json.created_at === 'string'
  );
}

/**
 * Validates a 2xx body: the session, its `payment_link` normalised (the parsed URL's `href`),
 * or what is wrong with it (the caller raises `invalid_response`).
 */
export function parseSession(json: unknown): { session?: CheckoutSession; problems: string[] } {
  if (isCheckoutSession(json)) return { session: withNormalLink(json), problems: [] };
  const result = sessionSchema().safeParse(json);
  if (result.success) return { session: withNormalLink(result.data as CheckoutSession), problems: [] };
  // Only the field names and zod's wording: never the values the server sent.
  return { problems: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
}

/**
 * Sets a valid session's `payment_link` (if any) to its normalised form, the parsed URL's
 * `href`. The session passed {@link isHttpUrl}, so it has one; a parsed body is a fresh
 * object, so it is set in place.
 *
 * @example
 * withNormalLink({ payment_link: 'HTTPS://Checkout.Pasis.RW/pay/x' }); // { payment_link: 'https://checkout.pasis.rw/pay/x' }
 */
export function withNormalLink<T extends { payment_link?: string }>(session: T): T {
  if (session.payment_link !== undefined) session.payment_link = httpUrlHref(session.payment_link) as string;
  return session;
}

const errorEnvelopeSchema = lazySchema((z) => {
  const issueSchema = z.object({
    path: z.array(z.union([z.string(), z.number()])).catch([]),
    message: z.string(),
  });
  return z.object({
    error: z.object({
      code: z.string().optional().catch(undefined),
      message: z.string().optional().catch(undefined),
      issues: z.array(issueSchema).optional().catch(undefined),
    }),
  });
});

/** The error body convention of CONTRACT §1, when a body follows it. */
export interface WireError {
  code?: string;
  message?: string;
  issues?: PasisIssue[];
}

/** Reads `{ error: { code, message, issues? } }` from a parsed body; `undefined` for anything else. */
export function parseWireError(json: unknown): WireError | undefined {
  const result = errorEnvelopeSchema().safeParse(json);
  return result.success ? result.data.error : undefined;
}
