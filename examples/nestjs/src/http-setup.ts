import type { NestExpressApplication } from '@nestjs/platform-express';
import { applyServerTimeouts, SHOP_BODY_LIMIT_BYTES } from '@pasis/example-shop-kit';

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
