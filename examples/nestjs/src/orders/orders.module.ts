import { Module } from '@nestjs/common';
import { ReconcilerService } from '../reconcile/reconciler.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';
import { SettlementService } from './settlement.service.js';

/** The orders feature: checkout, pages, the webhook handler and the reconciler. */
@Module({
  controllers: [OrdersController],
  providers: [OrdersService, SettlementService, ReconcilerService],
})
export class OrdersModule {}
