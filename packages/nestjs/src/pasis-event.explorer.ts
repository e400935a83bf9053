import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { WebhookHandler } from '@pasis/core';
import { kindsOf } from './pasis.decorators.js';
import { PASIS_WEBHOOKS } from './pasis.module-definition.js';

/**
 * Finds every `@OnPasisEvent` method of every provider at start-up (DiscoveryService and
 * MetadataScanner, as @nestjs/event-emitter does) and registers it with core's receiver.
 */
@Injectable()
export class PasisEventExplorer implements OnModuleInit {
  private readonly logger = new Logger('Pasis');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(PASIS_WEBHOOKS) private readonly webhooks: WebhookHandler,
  ) {}

  onModuleInit(): void {
    let count = 0;
    for (const wrapper of this.discovery.getProviders()) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const kinds = kindsOf(prototype[name]);
        if (kinds.length === 0) continue;
        if (!wrapper.isDependencyTreeStatic()) {
          // A request-scoped provider has no instance outside a request to call.
          this.logger.warn(
            `@OnPasisEvent on ${wrapper.name}.${name} ignored: the provider is request-scoped.`,
          );
          continue;
        }
        for (const kind of kinds) {
          const method = (instance as Record<string, (...args: unknown[]) => unknown>)[name]!;
          this.webhooks.on(kind, (event, ctx) => method.call(instance, event, ctx));
          count++;
        }
      }
    }
    this.logger.log(`${count} @OnPasisEvent handler(s) registered`);
  }
}
