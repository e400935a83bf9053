import type { PasisEventKind, PasisEventOf, WebhookContext } from '@pasis/core';
import { configError } from '@pasis/core/adapter';

/** Metadata key under which the kinds a method handles are kept (an array). */
export const PASIS_EVENT_METADATA = '@pasis/nestjs:events';

/** The kinds `@OnPasisEvent` put on a method. */
export function kindsOf(method: unknown): PasisEventKind[] {
  return typeof method === 'function'
    ? ((Reflect.getMetadata(PASIS_EVENT_METADATA, method) as PasisEventKind[]) ?? [])
    : [];
}

/**
 * Runs the decorated provider method for every verified delivery of `kind`. The method
 * gets the typed event and the delivery context; a method whose first parameter does not
 * accept that kind's event, or a misspelt kind, does not compile. `ctx` may be annotated
 * with the store's transaction type (`WebhookContext<PostgresTransaction<PoolClient>>`),
 * which nothing here can check against the store given to `PasisModule`. Several methods may
 * handle one kind; one method may carry several decorators. Throwing answers 500, so Pasis
 * retries the delivery.
 *
 * @example
 * @Injectable()
 * export class OrdersService {
 *   @OnPasisEvent('session:processed')
 *   async settle(event: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
 *     await this.orders.settle(event.session_id, event.status); // 'success' | 'cancelled'
 *   }
 * }
 */
export function OnPasisEvent<K extends PasisEventKind>(kind: K) {
  // `WebhookContext<never>` is assignable to every `WebhookContext<Tx>`: any annotation of ctx.tx compiles.
  return <T extends (event: PasisEventOf<K>, ctx: WebhookContext<never>) => unknown>(
    _target: object,
    _key: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    const method = descriptor.value;
    if (typeof method !== 'function') {
      throw configError('@pasis/nestjs', '@OnPasisEvent decorates methods only.');
    }
    Reflect.defineMetadata(PASIS_EVENT_METADATA, [...kindsOf(method), kind], method);
  };
}
