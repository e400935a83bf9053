import type { DiscoveryService } from '@nestjs/core';
import { configError } from '@pasis/core/adapter';

/**
 * What a nestjs-cls `TransactionHost` looks like, read without importing nestjs-cls. Some
 * providers (nestjs-cls's own proxy providers) throw when a property is read outside a
 * request: such a provider is not a host.
 */
const isTransactionHost = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const host = value as Record<string, unknown>;
    return (
      typeof host.withTransaction === 'function' &&
      typeof host.withoutTransaction === 'function' &&
      typeof host.isTransactionActive === 'function'
    );
  } catch {
    return false;
  }
};

/**
 * Refuses to boot an app that holds its transactions with `@nestjs-cls/transactional` while
 * the Pasis webhook store does not open its transactions through that app's TransactionHost:
 * handlers writing through `txHost.tx` (or in `@Transactional()` methods) would then commit
 * apart from the delivery's dedupe record, and a crash between the two commits would repeat
 * a payment. A store built with `@pasis/sql`'s `fromTransactionHost` says which host it
 * joins (`store.transactionHost`).
 */
export function checkTransactionHost(discovery: DiscoveryService, store: unknown, handlers: number): void {
  if (handlers === 0) return;
  const hosts = new Set(
    discovery
      .getProviders()
      .map((w) => w.instance)
      .filter(isTransactionHost),
  );
  if (hosts.size === 0) return;
  const joined = (store as { transactionHost?: unknown } | undefined)?.transactionHost;
  if (joined !== undefined && hosts.has(joined)) return;
  throw configError(
    '@pasis/nestjs',
    'this app holds its transactions with @nestjs-cls/transactional (a TransactionHost), but the Pasis ' +
      "webhook store does not open its transactions through it: what @OnPasisEvent handlers write through txHost.tx would commit apart from the delivery's " +
      'dedupe record, and a crash between the two would repeat a payment. Build the store on the host with @pasis/sql: ' +
      'PasisModule.forRootAsync({ inject: [TransactionHost, PrismaService], useFactory: (txHost, prisma) => ({ webhook: { store: ' +
      'createSqlStore({ db: fromTransactionHost(txHost, fromPrisma(prisma)) }) } }) }) (fromTypeORM(dataSource), fromKysely(db, ...) alike).',
  );
}
