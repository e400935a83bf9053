/**
 * `@pasis/core/testing`: helpers for tests and tools. `signing/` signs a payload exactly as
 * Pasis (and `@pasis/sandbox`) would deliver it (the sandbox uses it at runtime);
 * `adapter-conformance/`, `store-conformance/` and `lease-conformance/` are the suites
 * every adapter, store and reconcile lease passes; `peers/` the other end of a test's wire
 * (a local Pasis session API, a slow sender); the memory reconcile lease (one process). Nothing here imports a test runner.
 */

export type {
  MemoryReconcileLease,
  MemoryReconcileLeaseOptions,
} from '../reconcile/memory-lease.js';
export { createMemoryReconcileLease } from '../reconcile/memory-lease.js';
export { generateWebhookSecret } from '../webhooks/secret.js';
export { describeAdapterConformance } from './adapter-conformance/describe.js';
export type { AdapterUnderTest, ConformanceServer, StartAdapter } from './adapter-conformance/types.js';
export type { ConformanceRunner } from './conformance-runner.js';
export type { ReconcileLeaseConformanceOptions } from './lease-conformance/describe.js';
export { describeReconcileLeaseConformance } from './lease-conformance/describe.js';
export type { SessionFault, SessionServer, SessionServerOptions } from './peers/session-server.js';
export { startSessionServer } from './peers/session-server.js';
export type { TrickleOptions, TrickleResult } from './peers/trickle.js';
export { trickleRequest } from './peers/trickle.js';
export type { SignedWebhook, SignWebhookOptions } from './signing/sign.js';
export { newWebhookId, signWebhook } from './signing/sign.js';
export { createTestEvent } from './signing/test-event.js';
export { describeStoreConformance } from './store-conformance/describe.js';
export type {
  LeaseStoreConformanceOptions,
  StoreConformanceOptions,
  TransactionalStoreConformanceOptions,
} from './store-conformance/types.js';
