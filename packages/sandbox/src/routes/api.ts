import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readFields, sendJson } from '../http.js';
import type { SandboxSession } from '../model.js';
import type { SandboxService } from '../service.js';
import { initiateSchema, parseOr400 } from '../validation.js';

/** The provider's paths (CONTRACT §1, §1b), kept here once. */
export const INITIATE_PATH = '/api/checkouts/initiate';
/** The prefix of §1b's `GET /api/checkouts/:session_id`. */
export const CHECKOUTS_PREFIX = '/api/checkouts/';

/** The longest `Idempotency-Key` kept: 255 characters. */
const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** The session as initiate answers it (CONTRACT §1). */
function createdResponse(session: SandboxSession) {
  return {
    session_id: session.session_id,
    amount: session.amount,
    kind: 'session:created',
    payment_link: session.payment_link,
    created_at: session.created_at,
  };
}

/** The session as retrieve answers it (CONTRACT §1b): `completed_at` once it is not open. */
export function retrievedResponse(session: SandboxSession) {
  return {
    session_id: session.session_id,
    amount: session.amount,
    status: session.status,
    payment_link: session.payment_link,
    created_at: session.created_at,
    ...(session.status !== 'open' && session.completed_at ? { completed_at: session.completed_at } : {}),
  };
}

// Counted per app before anything else, as a provider's gateway would; only for apps that
// exist, so made-up ids cannot grow the counters.
function limit(service: SandboxService, appId: unknown) {
  if (typeof appId === 'string' && service.store.apps.has(appId)) service.rateLimit.take(appId);
}

/** `POST /api/checkouts/initiate`. */
export async function initiate(service: SandboxService, req: IncomingMessage, res: ServerResponse) {
  const fields = await readFields(req);
  limit(service, fields.app_id);
  const body = parseOr400(initiateSchema, fields);
  const key = req.headers['idempotency-key'];
  if (typeof key === 'string' && key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new HttpError(
      400,
      'invalid_request',
      `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
    );
  }
  const session = service.initiate(body, typeof key === 'string' && key !== '' ? key : undefined);
  sendJson(res, 200, createdResponse(session));
}

/** `GET /api/checkouts/:session_id?app_id=…`, answered from the sandbox's own state. */
export function retrieve(
  service: SandboxService,
  res: ServerResponse,
  sessionId: string,
  query: URLSearchParams,
) {
  limit(service, query.get('app_id'));
  const session = service.retrieve(sessionId, query.get('app_id') ?? undefined);
  sendJson(res, 200, retrievedResponse(session));
}
