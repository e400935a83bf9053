import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  type CheckResult,
  PasisError,
  type PasisLogger,
  type Reconciler,
  type WebhookReceiver,
} from '@pasis/core';
import {
  createShopReconciler,
  type OrderStore,
  type ShopEnv,
  shopConfig,
  startReconciling,
} from '@pasis/example-shop-kit';
import { PASIS_WEBHOOKS, PasisClient } from '@pasis/nestjs';
import { ORDER_STORE, SHOP_ENV, SHOP_LOGGER } from '../shop/shop.tokens.js';

/**
 * The shop's reconciler (CONTRACT §5), on the module's client and webhook receiver: the
 * same handlers and dedupe as the webhook. Its schedule starts with the application
 * (`app.listen()` bootstraps it) and is stopped, awaited, before shutdown:
 * `beforeApplicationShutdown` runs before any `onApplicationShutdown`, so a run in flight
 * ends before the database is closed.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly reconciler: Reconciler;

  constructor(
    pasis: PasisClient,
    @Inject(PASIS_WEBHOOKS) webhooks: WebhookReceiver<unknown> | null,
    @Inject(ORDER_STORE) orders: OrderStore,
    @Inject(SHOP_ENV) private readonly env: ShopEnv,
    @Inject(SHOP_LOGGER) logger: PasisLogger,
  ) {
    if (!webhooks) throw new PasisError('config_error', '@pasis/example-nestjs: PasisModule has no webhook.');
    this.reconciler = createShopReconciler({ client: pasis, webhooks, orders, logger });
  }

  onApplicationBootstrap(): void {
    startReconciling(this.reconciler, shopConfig(this.env).reconcile);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.reconciler.stop();
  }

  /** One session now, from Pasis's answer (the return page). Never rejects. */
  check(sessionId: string): Promise<CheckResult> {
    return this.reconciler.check(sessionId);
  }
}
