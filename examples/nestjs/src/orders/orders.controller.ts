import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { isPasisError } from '@pasis/core';
import {
  badInputAnswer,
  CATALOGUE,
  checkoutFailed,
  htmlAnswer,
  jsonAnswer,
  notFoundPage,
  orderAnswer,
  readCheckoutInput,
  returnPage,
  shopPage,
  unsupportedBody,
  wantsJson,
} from '@pasis/example-shop-kit';
import type { Request, Response } from 'express';
import { send } from '../http-setup.js';
import { OrdersService } from './orders.service.js';

const json = (req: Request) => wantsJson(req.headers.accept);

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  shop(@Res() res: Response) {
    send(res, htmlAnswer(200, shopPage(CATALOGUE)));
  }

  @Post('checkout')
  async checkout(@Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    // A body the parsers skipped (another type) is refused; one they refused never gets here.
    const unsupported = unsupportedBody(req.headers);
    if (unsupported) return send(res, badInputAnswer(unsupported, json(req)));
    const input = readCheckoutInput(body);
    if ('status' in input) return send(res, badInputAnswer(input, json(req)));
    try {
      const { order, paymentLink } = await this.orders.checkout(input.product, input.email);
      if (!json(req)) return res.redirect(303, paymentLink);
      return send(
        res,
        jsonAnswer(201, { order_id: order.id, session_id: order.session_id, payment_link: paymentLink }),
      );
    } catch (error) {
      if (!isPasisError(error)) throw error;
      return send(res, checkoutFailed(error));
    }
  }

  @Get('orders/:id')
  async order(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    send(res, orderAnswer(await this.orders.find(id), json(req)));
  }

  /** The status recorded by the server (asking Pasis first while pending), never the query string's. */
  @Get('return')
  async returned(@Query('session_id') sessionId: unknown, @Res() res: Response) {
    const view = await this.orders.forReturnPage(typeof sessionId === 'string' ? sessionId : '');
    if (!view) return send(res, htmlAnswer(404, notFoundPage('We do not know this payment.')));
    return send(res, htmlAnswer(200, returnPage(view)));
  }
}
