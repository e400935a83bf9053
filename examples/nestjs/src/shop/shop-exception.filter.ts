import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { PasisLogger } from '@pasis/core';
import {
  badInputAnswer,
  badInputFromError,
  errorAnswer,
  loggableError,
  SERVER_ERROR,
  wantsJson,
} from '@pasis/example-shop-kit';
import type { Request, Response } from 'express';
import { send } from '../http-setup.js';
import { SHOP_LOGGER } from './shop.tokens.js';

/**
 * Every error of the shop's own routes (the webhook is not one: it answers from core's
 * table on the adapter), in place of Nest's default filter, which answers a body-parser
 * error with the parser's message (it may quote the body) and logs the error with the raw
 * body it carries. Bad input is a 4xx with the shop's error body, never logged; Nest's own
 * HTTP errors (a 404) keep their status; anything else is logged masked and answered 500.
 */
@Catch()
export class ShopExceptionFilter implements ExceptionFilter {
  constructor(@Inject(SHOP_LOGGER) private readonly logger: PasisLogger) {}

  catch(exception: unknown, host: ArgumentsHost): undefined {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return void res.end();
    const bad = badInputFromError(exception);
    if (bad) return send(res, badInputAnswer(bad, wantsJson(req.headers.accept)));
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return send(res, errorAnswer(status, status === 404 ? 'not_found' : 'bad_request', exception.message));
    }
    this.logger.error('shop: a request failed', { error: loggableError(exception) });
    return send(res, SERVER_ERROR);
  }
}
