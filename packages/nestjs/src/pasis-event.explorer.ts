import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { PasisLogger, WebhookReceiver } from '@pasis/core';
import { configError, type ResolvedAdapterOptions } from '@pasis/core/adapter';
import { findHandlerMethods } from './handler-methods.js';
import { handlerRunner } from './handler-runner.js';
import { PASIS_LOGGER, PASIS_RESOLVED_OPTIONS, PASIS_WEBHOOKS } from './pasis.module-definition.js';
import { checkTransactionHost } from './transaction-check.js';

/**
 * Finds every `@OnPasisEvent` method of every provider and controller at start-up
 * (DiscoveryService and MetadataScanner, as @nestjs/event-emitter does) and registers each
 * with core's receiver once per kind, so each runs exactly once per delivery.
 */
@Injectable()
export class PasisEventExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    @Inject(PASIS_WEBHOOKS) private readonly webhooks: WebhookReceiver<unknown> | null,
    @Inject(PASIS_LOGGER) private readonly logger: PasisLogger,
    @Inject(PASIS_RESOLVED_OPTIONS) private readonly options: ResolvedAdapterOptions<unknown>,
  ) {}

  onModuleInit(): void {
    const methods = findHandlerMethods(this.discovery, this.scanner);
    if (methods.length > 0 && !this.webhooks) {
      // Handlers that can never run would lose their events without a trace: refuse to boot.
      const names = methods.map((m) => `${m.wrapper.name}.${m.methodName}`).join(', ');
      throw configError(
        '@pasis/nestjs',
        `@OnPasisEvent handlers were found (${names}), but PasisModule was given \`webhook: false\`, ` +
          'so it serves no webhook route and their events could never arrive: remove `webhook: false` ' +
          '(the route is on by default), or remove the handlers.',
      );
    }
    checkTransactionHost(this.discovery, this.options.webhook?.options.store, methods.length);
    let count = 0;
    for (const method of methods) {
      const run = handlerRunner(method, this.moduleRef);
      for (const kind of method.kinds) {
        this.webhooks?.on(kind, run);
        count++;
      }
    }
    const perDelivery = methods.filter((m) => m.perDelivery).length;
    this.logger.info(
      `${count} @OnPasisEvent handler(s) registered${perDelivery > 0 ? ` (${perDelivery} resolved per delivery)` : ''}`,
    );
  }
}
