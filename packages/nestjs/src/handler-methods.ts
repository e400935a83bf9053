import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { PasisEventKind } from '@pasis/core';
import { kindsOf } from './pasis.decorators.js';

/** One `@OnPasisEvent` method found at start-up, with the kinds it handles. */
export interface HandlerMethod {
  wrapper: InstanceWrapper;
  methodName: string;
  kinds: PasisEventKind[];
  /**
   * The host is request-scoped or transient (or depends on such a provider): it has no one
   * instance to call, so a fresh one is resolved for every delivery.
   */
  perDelivery: boolean;
}

/** Where to read a host's methods from; `undefined` for something that is not a class instance. */
function prototypeOf(wrapper: InstanceWrapper, perDelivery: boolean): Record<string, unknown> | undefined {
  if (perDelivery) {
    // No real instance outside a delivery: read the class. A factory provider has none to read.
    return wrapper.isNotMetatype
      ? undefined
      : (wrapper.metatype as { prototype?: Record<string, unknown> }).prototype;
  }
  const { instance } = wrapper;
  return typeof instance === 'object' && instance !== null ? Object.getPrototypeOf(instance) : undefined;
}

/**
 * Every `@OnPasisEvent` method of every provider and controller, each once: an alias
 * (`{ provide: X, useExisting: OrdersService }`) is skipped, since it stands for an instance
 * found under its own provider, and an instance registered under several tokens
 * (`useValue`) is read once. Several decorators of one kind on one method count once.
 */
export function findHandlerMethods(discovery: DiscoveryService, scanner: MetadataScanner): HandlerMethod[] {
  const found: HandlerMethod[] = [];
  const seen = new Set<unknown>();
  for (const wrapper of [...discovery.getProviders(), ...discovery.getControllers()]) {
    if (wrapper.isAlias) continue;
    const perDelivery = !wrapper.isDependencyTreeStatic() || wrapper.isTransient;
    const prototype = prototypeOf(wrapper, perDelivery);
    if (prototype === undefined) continue;
    if (!perDelivery) {
      if (seen.has(wrapper.instance)) continue;
      seen.add(wrapper.instance);
    }
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const kinds = [...new Set(kindsOf(prototype[methodName]))];
      if (kinds.length > 0) found.push({ wrapper, methodName, kinds, perDelivery });
    }
  }
  return found;
}
