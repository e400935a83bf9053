import { type DynamicModule, Module } from '@nestjs/common';
import { createMemoryOrderStore, type OrderStore } from '@pasis/example-shop-kit';
import { OrdersController } from './orders.controller.js';
import { OrdersService } from './orders.service.js';
import { ORDER_STORE } from './orders.tokens.js';

@Module({})
export class OrdersModule {
  /** The orders feature, with the given store (default: in memory). */
  static register(store: OrderStore = createMemoryOrderStore()): DynamicModule {
    return {
      module: OrdersModule,
      controllers: [OrdersController],
      providers: [OrdersService, { provide: ORDER_STORE, useValue: store }],
    };
  }
}
