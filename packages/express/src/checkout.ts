import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CheckoutSession,
  type CreateSessionParams,
  checkoutErrorStatus,
  createPasisClient,
  isPasisError,
  type PasisClient,
} from '@pasis/core';

/** The request side of Express that the checkout handler uses. */
export interface CheckoutRequest extends IncomingMessage {
  accepts(types: string[]): string | false;
}

/** The response side of Express (4 and 5) that the checkout handler uses. */
export interface CheckoutResponse extends ServerResponse {
  status(code: number): this;
  json(body: unknown): this;
  redirect(status: number, url: string): void;
}

/** Options of {@link pasisCheckout}. */
export interface PasisCheckoutOptions<Req extends CheckoutRequest = CheckoutRequest> {
  /** The client to use. Default: `createPasisClient()` (appId from `PASIS_APP_ID`), made once, here. */
  client?: PasisClient;
  /** What to buy, from the request: the items (amounts in RWF, from your catalogue) and the email. */
  params: (req: Req) => CreateSessionParams | Promise<CreateSessionParams>;
  /** An idempotency key per request (e.g. your order id), so a retried form post makes one session. */
  idempotencyKey?: (req: Req) => string | undefined;
  /** Called with the new session before the answer, e.g. to store `session_id` on the order. */
  onSession?: (session: CheckoutSession, req: Req) => void | Promise<void>;
}

/**
 * A route handler that creates a checkout session and sends the customer to Pasis: a 303
 * redirect to `payment_link` for a browser, or `201` with the session as JSON when the
 * request prefers JSON. A `PasisError` becomes a JSON error with a fitting status
 * (`checkoutErrorStatus`); anything else goes to Express's error handling.
 *
 * @example
 * app.post('/checkout', express.urlencoded({ extended: false }), pasisCheckout({
 *   params: (req) => ({ items: [{ name: 'Money Transfer', amount: 5000 }], email: req.body.email }),
 *   onSession: (session, req) => orders.attach(req.body.order_id, session.session_id),
 * }));
 */
export function pasisCheckout<Req extends CheckoutRequest = CheckoutRequest>(
  options: PasisCheckoutOptions<Req>,
) {
  if (typeof options?.params !== 'function') {
    throw new TypeError('@pasis/express: pasisCheckout needs a `params(req)` function.');
  }
  const client = options.client ?? createPasisClient();
  return async (req: Req, res: CheckoutResponse, next: (error?: unknown) => void): Promise<void> => {
    try {
      const params = await options.params(req);
      const idempotencyKey = options.idempotencyKey?.(req);
      const session = await client.checkout.sessions.create(
        params,
        idempotencyKey ? { idempotencyKey } : undefined,
      );
      await options.onSession?.(session, req);
      if (req.accepts(['html', 'json']) === 'json') res.status(201).json(session);
      else res.redirect(303, session.payment_link);
    } catch (error) {
      if (!isPasisError(error)) return next(error);
      res.status(checkoutErrorStatus(error)).json({
        error: {
          code: error.code,
          message: error.message,
          ...(error.issues ? { issues: error.issues } : {}),
        },
      });
    }
  };
}
