/**
 * Bad input at the HTTP layer (CONTRACT §5), decided once for the three shops: which request
 * bodies a shop reads, what each framework's parser errors mean, and the answer (400, 413 or
 * 415 with the shop's error body, never a 500). A parser's own message is never passed on,
 * neither to the customer nor to a log: it may quote the body, and so the customer's e-mail.
 */
import { CATALOGUE } from '../catalogue.js';
import { shopPage } from '../views/pages.js';
import { errorAnswer, htmlAnswer, type ShopAnswer } from './answers.js';

/** The largest body the shop's own routes read: 10 KiB. (The webhook has its own limit.) */
export const SHOP_BODY_LIMIT_BYTES = 10 * 1024;

/** A request refused for its input, and how. */
export interface BadInput {
  status: 400 | 413 | 415;
  /** The error body's `code`. */
  code: 'invalid_body' | 'invalid_input' | 'body_too_large' | 'unsupported_media_type';
  /** One of the shop's own fixed texts. */
  message: string;
}

const INVALID_BODY: BadInput = {
  status: 400,
  code: 'invalid_body',
  message: 'The request body could not be read as JSON or a form.',
};
const TOO_LARGE: BadInput = {
  status: 413,
  code: 'body_too_large',
  message: `The request body is larger than ${SHOP_BODY_LIMIT_BYTES} bytes.`,
};
const UNSUPPORTED: BadInput = {
  status: 415,
  code: 'unsupported_media_type',
  message: 'Send JSON (application/json) or a form (application/x-www-form-urlencoded), in UTF-8.',
};

/** A 400 `invalid_input` with one of the shop's messages ('Unknown product.', …). */
export function invalidInput(message: string): BadInput {
  return { status: 400, code: 'invalid_input', message };
}

const READABLE_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded']);

type Headers = Record<string, string | string[] | undefined>;

/**
 * Whether a request's body is one the shop reads: JSON or a form, in UTF-8 (or with no
 * charset). A request without a body passes (its fields are then missing: a 400 later).
 *
 * @example
 * const bad = unsupportedBody(req.headers); // 415 for text/plain, or for charset=latin1
 */
export function unsupportedBody(headers: Headers): BadInput | undefined {
  const length = Number(headers['content-length'] ?? 0);
  if (headers['transfer-encoding'] === undefined && !(length > 0)) return undefined;
  const contentType = headers['content-type'];
  if (typeof contentType !== 'string') return UNSUPPORTED;
  const [type = '', ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (!READABLE_TYPES.has(type)) return UNSUPPORTED;
  for (const param of params) {
    const [name, value = ''] = param.split('=').map((part) => part.trim());
    if (name === 'charset' && !['utf-8', 'utf8', '"utf-8"'].includes(value)) return UNSUPPORTED;
  }
  return undefined;
}

const BODY_PARSER_TYPES: Record<string, BadInput> = {
  'entity.parse.failed': INVALID_BODY,
  'request.size.invalid': INVALID_BODY,
  'request.aborted': INVALID_BODY,
  'entity.too.large': TOO_LARGE,
  'parameters.too.many': TOO_LARGE,
  'charset.unsupported': UNSUPPORTED,
  'encoding.unsupported': UNSUPPORTED,
};

const FASTIFY_CODES: Record<string, BadInput> = {
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_BODY,
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_BODY,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: INVALID_BODY,
  FST_ERR_CTP_BODY_TOO_LARGE: TOO_LARGE,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED,
};

/**
 * What a framework's error about a request body means: body-parser's (Express, Nest on
 * Express) by its `type`, Fastify's by its `code`, any other error saying 400, 413 or 415 by
 * its status. `undefined` for anything else (the shop's own failure: a 500).
 *
 * @example
 * const bad = badInputFromError(error); // body-parser's entity.too.large → 413 body_too_large
 */
export function badInputFromError(error: unknown): BadInput | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, code, status, statusCode } = error as Record<string, unknown>;
  if (typeof type === 'string' && Object.hasOwn(BODY_PARSER_TYPES, type)) return BODY_PARSER_TYPES[type];
  if (typeof code === 'string' && Object.hasOwn(FASTIFY_CODES, code)) return FASTIFY_CODES[code];
  const said = typeof statusCode === 'number' ? statusCode : status;
  if (said === 413) return TOO_LARGE;
  if (said === 415) return UNSUPPORTED;
  return said === 400 ? INVALID_BODY : undefined;
}

/**
 * The answer to bad input: `{ error: { code, message } }` for a JSON client, else the shop
 * page with the message above the form.
 *
 * @example
 * const { status, contentType, body } = badInputAnswer(bad, wantsJson(req.headers.accept));
 * res.status(status).type(contentType).send(body);
 */
export function badInputAnswer(bad: BadInput, json: boolean): ShopAnswer {
  return json
    ? errorAnswer(bad.status, bad.code, bad.message)
    : htmlAnswer(bad.status, shopPage(CATALOGUE, bad.message));
}
