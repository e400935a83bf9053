import type { PGlite } from '@electric-sql/pglite';
import { Global, Module } from '@nestjs/common';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { ShopDatabase } from '@pasis/example-shop-kit';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { SHOP_DATABASE } from '../shop/shop.tokens.js';
import { PrismaClient } from './generated/client.js';

/** Prisma on the shop's database, through the driver shop-kit opened (a pg Pool, or PGlite). */
export function shopPrisma(database: ShopDatabase): PrismaClient {
  const adapter =
    database.location.kind === 'postgresql'
      ? new PrismaPg(database.driver as pg.Pool)
      : new PrismaPGlite(database.driver as PGlite);
  return new PrismaClient({ adapter });
}

/**
 * The shop's data layer: a PrismaClient on the shop's database (closed with it, by the shop
 * module), for the whole app. Injected by its class, as `@nestjs-cls/transactional`'s Prisma
 * adapter expects.
 */
@Global()
@Module({
  providers: [{ provide: PrismaClient, inject: [SHOP_DATABASE], useFactory: shopPrisma }],
  exports: [PrismaClient],
})
export class DataModule {}

/**
 * nestjs-cls's transactions on that client: `TransactionHost` and `@Transactional()` for the
 * app, and the webhook store's transactions (see app.module.ts).
 */
export const transactional = new ClsPluginTransactional({
  imports: [DataModule],
  adapter: new TransactionalAdapterPrisma({ prismaInjectionToken: PrismaClient }),
});
