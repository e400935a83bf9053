import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { checkoutErrorStatus, isPasisError } from '@pasis/core';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  type BadInput,
  badInputAnswer,
  CATALOGUE,
  DEFAULT_PRODUCT_ID,
  findProduct,
  invalidInput,
  notFoundPage,
  orderJson,
  orderPage,
  returnPage,
  shopPage,
  unsupportedBody,
} from '@pasis/example-shop-kit';
import { OrdersService } from './orders.service.js';

const checkoutInput = z.object({
  email: z.email('Enter a valid email address.'),
  product_id: z.string().default(DEFAULT_PRODUCT_ID),
});

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

function sendBadInput(req: Request, res: Response, bad: BadInput) {
  const { status, contentType, body } = badInputAnswer(bad, wantsJson(req));
  return res.status(status).type(contentType).send(body);
}

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  shop(@Res() res: Response) {
    res.type('html').send(shopPage(CATALOGUE));
  }

  @Post('checkout')
  async checkout(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    // A body the parsers skipped (another type) is refused; one they refused never gets here.
    const unsupported = unsupportedBody(req.headers);
    if (unsupported) return sendBadInput(req, res, unsupported);
    const input = checkoutInput.safeParse(body ?? {});
    const product = input.success ? findProduct(input.data.product_id) : undefined;
    if (!input.success || !product) {
      const message = input.success
        ? 'Unknown product.'
        : (input.error.issues[0]?.message ?? 'Invalid input.');
      return sendBadInput(req, res, invalidInput(message));
    }
    try {
      const { order, paymentLink } = await this.orders.checkout(product, input.data.email);
      if (!wantsJson(req)) return res.redirect(303, paymentLink);
      return res
        .status(201)
        .json({ order_id: order.id, session_id: order.session_id, payment_link: paymentLink });
    } catch (error) {
      if (!isPasisError(error)) throw error;
      return res
        .status(checkoutErrorStatus(error))
        .json({ error: { code: error.code, message: error.message } });
    }
  }

  @Get('orders/:id')
  async order(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const order = await this.orders.find(id);
    if (!order) {
      if (wantsJson(req))
        return res.status(404).json({ error: { code: 'not_found', message: 'No such order.' } });
      return res.status(404).type('html').send(notFoundPage('No such order.'));
    }
    if (wantsJson(req)) return res.json(orderJson(order));
    return res.type('html').send(orderPage(order));
  }

  /** The status recorded by the server (asking Pasis first while pending), never the query string's. */
  @Get('return')
  async returned(@Query('session_id') sessionId: unknown, @Res() res: Response) {
    const order = await this.orders.forReturnPage(typeof sessionId === 'string' ? sessionId : '');
    if (!order) return res.status(404).type('html').send(notFoundPage('We do not know this payment.'));
    return res.type('html').send(returnPage(order));
  }
}
