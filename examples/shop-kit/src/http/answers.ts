/**
 * The shop's answers, decided once for the three shops as framework-neutral
 * `{ status, contentType, body }`: each shop only writes them to its response. JSON errors
 * have one shape, `{ error: { code, message } }`.
 */
import { checkoutErrorStatus, type PasisError } from '@pasis/core';
import { type Order, orderJson } from '../orders/order.js';
import { notFoundPage, orderPage } from '../views/pages.js';

/**
 * A framework-neutral answer: each shop writes these three to its response.
 *
 * @example
 * const send = (res, a: ShopAnswer) => res.status(a.status).type(a.contentType).send(a.body);
 */
export interface ShopAnswer {
  status: number;
  contentType: string;
  body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * A JSON answer.
 *
 * @example
 * jsonAnswer(201, { order_id: order.id }); // { status: 201, contentType: 'application/json; …', body: '{"order_id":…}' }
 */
export function jsonAnswer(status: number, value: unknown): ShopAnswer {
  return { status, contentType: JSON_TYPE, body: JSON.stringify(value) };
}

/**
 * A page.
 *
 * @example
 * htmlAnswer(200, shopPage(CATALOGUE));
 */
export function htmlAnswer(status: number, html: string): ShopAnswer {
  return { status, contentType: HTML_TYPE, body: html };
}

/**
 * The shop's JSON error, `{ error: { code, message } }`: one shape for every error it answers.
 *
 * @example
 * errorAnswer(404, 'not_found', 'No such order.');
 */
export function errorAnswer(status: number, code: string, message: string): ShopAnswer {
  return jsonAnswer(status, { error: { code, message } });
}

/**
 * A checkout Pasis refused: the status that fits the error (`checkoutErrorStatus`), and the
 * error's code and the SDK's own message.
 *
 * @example
 * catch (error) { if (isPasisError(error)) return send(res, checkoutFailed(error)); throw error; }
 */
export function checkoutFailed(error: PasisError): ShopAnswer {
  return errorAnswer(checkoutErrorStatus(error), error.code, error.message);
}

/**
 * `GET /orders/:id`: the order as JSON or its page, or a 404 in the same form.
 *
 * @example
 * send(res, orderAnswer(await orders.get(id), wantsJson(req.headers.accept)));
 */
export function orderAnswer(order: Order | undefined, json: boolean): ShopAnswer {
  if (order === undefined) {
    return json
      ? errorAnswer(404, 'not_found', 'No such order.')
      : htmlAnswer(404, notFoundPage('No such order.'));
  }
  return json ? jsonAnswer(200, orderJson(order)) : htmlAnswer(200, orderPage(order));
}

/**
 * What a request the shop failed to serve is answered (the database down, say): a plain
 * 500 that says nothing of the cause (which the shop logs, masked).
 *
 * @example
 * logger.error('shop: a request failed', { error: loggableError(error) }); send(res, SERVER_ERROR);
 */
export const SERVER_ERROR: ShopAnswer = Object.freeze({
  status: 500,
  contentType: 'text/plain; charset=utf-8',
  body: 'Something went wrong. Please try again.',
});
