import { Inject, Injectable } from '@nestjs/common';
import type { PasisEventOf, WebhookContext } from '@pasis/core';
import {
  createReturnPage,
  type Order,
  type OrderStore,
  type Product,
  type ReturnView,
  type ShopEnv,
  type StartedCheckout,
  startCheckout,
} from '@pasis/example-shop-kit';
import { OnPasisEvent, PasisClient } from '@pasis/nestjs';
import { ReconcilerService } from '../reconcile/reconciler.service.js';
import { ORDER_STORE, SHOP_ENV } from '../shop/shop.tokens.js';
import { SettlementService } from './settlement.service.js';

@Injectable()
export class OrdersService {
  private readonly returnView: (sessionId: string) => Promise<ReturnView | undefined>;

  constructor(
    @Inject(ORDER_STORE) private readonly orders: OrderStore,
    private readonly pasis: PasisClient,
    private readonly settlement: SettlementService,
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
   * The webhook (and the reconciler, and the return page's check): the order follows the
   * payment in the delivery's transaction, which the webhook store opened through the app's
   * TransactionHost, so SettlementService writes with `txHost.tx` as any other service does.
   * One line per event, ids only (never the customer's email).
   */
  @OnPasisEvent('session:processed')
  async settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext<unknown>): Promise<void> {
    const result = await this.settlement.settle(event, ctx.deliveryId);
    ctx.logger.info(
      `session ${event.session_id} ${event.status}: order ${result} (delivery ${ctx.deliveryId})`,
    );
  }
}
