import { Inject, Injectable } from '@nestjs/common';
import type { PasisEventOf } from '@pasis/core';
import {
  type Order,
  type OrderStore,
  onSessionProcessed,
  orderForReturnPage,
  type Product,
  type ShopWebhookContext,
  type StartedCheckout,
  startCheckout,
} from '@pasis/example-shop-kit';
import { OnPasisEvent, PasisClient } from '@pasis/nestjs';
import { ReconcilerService } from '../reconcile/reconciler.service.js';
import { ORDER_STORE } from '../shop/shop.tokens.js';

@Injectable()
export class OrdersService {
  constructor(
    @Inject(ORDER_STORE) private readonly orders: OrderStore,
    private readonly pasis: PasisClient,
    private readonly reconciler: ReconcilerService,
  ) {}

  /** Creates a pending order (amount from the catalogue) and its checkout session. */
  checkout(product: Product, email: string): Promise<StartedCheckout> {
    return startCheckout({ orders: this.orders, client: this.pasis }, product, email);
  }

  find(id: string): Promise<Order | undefined> {
    return this.orders.get(id);
  }

  /** The return page's order: asks Pasis first while it is pending (see orderForReturnPage). */
  forReturnPage(sessionId: string): Promise<Order | undefined> {
    return orderForReturnPage({ orders: this.orders, reconciler: this.reconciler }, sessionId);
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
