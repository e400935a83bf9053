import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PasisEventOf, WebhookContext } from '@pasis/core';
import { OnPasisEvent, PasisClient } from '@pasis/nestjs';
import { type Order, type OrderStore, type Product, settleOrder } from '@pasis/example-shop-kit';
import { ORDER_STORE } from './orders.tokens.js';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger(OrdersService.name);

  constructor(
    @Inject(ORDER_STORE) private readonly orders: OrderStore,
    private readonly pasis: PasisClient,
  ) {}

  /** Creates a pending order (amount from the catalogue) and its checkout session. */
  async checkout(product: Product, email: string): Promise<{ order: Order; paymentLink: string }> {
    const order = await this.orders.create({ product_id: product.id, email, amount: product.amount });
    try {
      const session = await this.pasis.checkout.sessions.create(
        { items: [{ name: product.name, amount: product.amount }], email },
        { idempotencyKey: order.id },
      );
      await this.orders.attachSession(order.id, session.session_id);
      return { order: { ...order, session_id: session.session_id }, paymentLink: session.payment_link };
    } catch (error) {
      await this.orders.transition(order.id, 'pending', 'failed');
      throw error;
    }
  }

  find(id: string) {
    return this.orders.get(id);
  }

  findBySession(sessionId: string) {
    return this.orders.findBySession(sessionId);
  }

  /** The webhook: the order follows the payment (see settleOrder). */
  @OnPasisEvent('session:processed')
  async onSessionProcessed(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
    const result = await settleOrder(this.orders, event);
    this.logger.log(
      `session ${event.session_id} ${event.status}: order ${result} (delivery ${ctx.deliveryId})`,
    );
  }
}
