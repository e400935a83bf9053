import { type ContextId, ContextIdFactory, ModuleRef } from '@nestjs/core';
import type { AnyEventHandler, PasisEvent, WebhookContext } from '@pasis/core';
import type { HandlerMethod } from './handler-methods.js';

/**
 * What `@Inject(REQUEST)` gives a request-scoped (or transient) handler host: the delivery
 * it was created for. There is no HTTP request object: the same handler also runs for
 * events that did not come over HTTP (`webhooks.receive()`, a reconciler).
 *
 * @example
 * @Injectable({ scope: Scope.REQUEST })
 * export class Settlement {
 *   constructor(@Inject(REQUEST) private readonly delivery: PasisEventRequest) {}
 * }
 */
export interface PasisEventRequest {
  event: PasisEvent;
  /** `ctx.tx` is the store's transaction (`undefined` for the memory and Redis stores). */
  ctx: WebhookContext<unknown>;
}

type Host = Record<string, (event: PasisEvent, ctx: WebhookContext<unknown>) => unknown>;

// Core hands every handler of one delivery the same context object: keyed on it, all the
// per-delivery hosts of one delivery share one Nest context (one instance each), as the
// providers of one HTTP request do.
const contexts = new WeakMap<WebhookContext<unknown>, ContextId>();

function contextOf(moduleRef: ModuleRef, event: PasisEvent, ctx: WebhookContext<unknown>): ContextId {
  let contextId = contexts.get(ctx);
  if (contextId === undefined) {
    contextId = ContextIdFactory.create();
    contexts.set(ctx, contextId);
    moduleRef.registerRequestByContextId({ event, ctx } satisfies PasisEventRequest, contextId);
  }
  return contextId;
}

/**
 * The function core calls for one found method. A singleton host is called directly; any
 * other is resolved afresh for each delivery, in that delivery's own context (as
 * `@nestjs/event-emitter` does for an event), from its own module, so that its
 * request-scoped dependencies are per delivery too.
 */
export function handlerRunner(method: HandlerMethod, fallback: ModuleRef): AnyEventHandler<unknown> {
  const { wrapper, methodName } = method;
  if (!method.perDelivery) {
    const instance = wrapper.instance as Host;
    const run = instance[methodName]!;
    return (event, ctx) => run.call(instance, event, ctx);
  }
  const own = wrapper.host?.getProviderByKey<ModuleRef>(ModuleRef)?.instance;
  const moduleRef = own ?? fallback;
  return async (event, ctx) => {
    const contextId = contextOf(moduleRef, event, ctx);
    const instance = await moduleRef.resolve<unknown, Host>(wrapper.token, contextId, {
      strict: own !== undefined,
    });
    return instance[methodName]!(event, ctx);
  };
}
