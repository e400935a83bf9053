import type { NestExpressApplication } from '@nestjs/platform-express';
import { applyServerTimeouts, SHOP_BODY_LIMIT_BYTES, type ShopAnswer } from '@pasis/example-shop-kit';
import type { Response } from 'express';

/**
 * The shop's HTTP layer on Nest, as the other two shops have it: the body parsers' limit
 * (shop-kit's, not Nest's 100 KB) and the server's request and header timeouts. Called by
 * `createApp` and `main.ts` alike, after `NestFactory.create` and before `listen`.
 *
 * @example
 * const app = await NestFactory.create<NestExpressApplication>(AppModule.register());
 * configureShopHttp(app);
 */
export function configureShopHttp(app: NestExpressApplication): void {
  // Registered before app.init(), Nest's own default parsers are then not added.
  app.useBodyParser('json', { limit: SHOP_BODY_LIMIT_BYTES });
  app.useBodyParser('urlencoded', { limit: SHOP_BODY_LIMIT_BYTES, extended: false });
  applyServerTimeouts(app.getHttpServer());
}

/**
 * Writes one of shop-kit's answers to Express's response (Nest on platform-express): the
 * HTTP layer's decisions are the kit's, the wiring Nest's.
 *
 * @example
 * send(res, orderAnswer(await this.orders.find(id), wantsJson(req.headers.accept)));
 */
export function send(res: Response, answer: ShopAnswer): undefined {
  res.status(answer.status).type(answer.contentType).send(answer.body);
}
