import { Injectable } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { SessionProcessedEvent } from '@pasis/core';
import type { SettleResult } from '@pasis/example-shop-kit';
import type { PrismaClient } from '../db/generated/client.js';

/**
 * The order follows the payment (CONTRACT §5), written with Prisma through the app's
 * `TransactionHost`: called from the webhook handler, it joins the delivery's transaction
 * (the webhook store opens it through the same host), so the order's new status, its
 * payment row and the delivery's dedupe record commit together, or not at all. The same
 * rule as shop-kit's `settleOrder`, which the other shops run in raw SQL.
 */
@Injectable()
export class SettlementService {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterPrisma<PrismaClient>>) {}

  /**
   * Only a `pending` order changes, once: `success` with the order's amount → `paid` with
   * its one payment row, another amount → `amount_mismatch`, `cancelled` → `cancelled`. The
   * conditional update takes the row's lock: a concurrent settlement of the same order
   * waits, then finds it no longer pending.
   */
  @Transactional()
  async settle(event: SessionProcessedEvent, deliveryId: string): Promise<SettleResult> {
    const tx = this.txHost.tx;
    const order = await tx.order.findUnique({ where: { sessionId: event.session_id } });
    if (order === null) return 'unknown_session';
    const status =
      event.status === 'cancelled' ? 'cancelled' : order.amount === event.amount ? 'paid' : 'amount_mismatch';
    const { count } = await tx.order.updateMany({
      where: { id: order.id, status: 'pending' },
      data: { status },
    });
    if (count === 0) return 'already_final';
    if (status === 'paid')
      await tx.payment.create({ data: { orderId: order.id, amount: event.amount, deliveryId } });
    return status;
  }
}
