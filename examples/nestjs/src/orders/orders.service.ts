import { Inject, Injectable } from '@nestjs/common';
import type { PasisEventOf } from '@pasis/core';
import {
  createReturnPage,
  type Order,
  type OrderStore,
  onSessionProcessed,
  type Product,
  type ReturnView,
  type ShopEnv,
  type ShopWebhookContext,
  type StartedCheckout,
  startCheckout,
} from '@pasis/example-shop-kit';
import { OnPasisEvent, PasisClient } from '@pasis/nestjs';
import { ReconcilerService } from '../reconcile/reconciler.service.js';
import { ORDER_STORE, SHOP_ENV } from '../shop/shop.tokens.js';

@Injectable()
export class OrdersService {
  private readonly returnView: (sessionId: string) => Promise<ReturnView | undefined>;

  constructor(
    @Inject(ORDER_STORE) private readonly orders: OrderStore,
    private readonly pasis: PasisClient,
    reconciler: ReconcilerService,
    @Inject(SHOP_ENV) env: ShopEnv,
  ) {
    this.returnView = createReturnPage({
      orders,
      reconciler,
      intervalMs: env.RETURN_CHECK_INTERVAL_MS,
      approvalWindowMs: env.APPROVAL_WINDOW_MS,
    });
  }

  /** Creates a pending order (amount from the catalogue) and its checkout session. */
  checkout(product: Product, email: string): Promise<StartedCheckout> {
    return startCheckout({ orders: this.orders, client: this.pasis }, product, email);
  }

  find(id: string): Promise<Order | undefined> {
    return this.orders.get(id);
  }

  /** The return page's order: asks Pasis first while it is pending, at most once per interval (see createReturnPage). */
  forReturnPage(sessionId: string): Promise<ReturnView | undefined> {
    return this.returnView(sessionId);
  }

  /**
   * The webhook (and the reconciler): the order follows the payment, written through ctx.tx
   * so that it commits with the delivery's dedupe record. Nest's options cannot carry the
   * store's transaction type here: the annotation says it.
   */
  @OnPasisEvent('session:processed')
  settle(event: PasisEventOf<'session:processed'>, ctx: ShopWebhookContext): Promise<void> {
    return onSessionProcessed(event, ctx);
  }
}
