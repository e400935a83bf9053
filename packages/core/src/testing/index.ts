/**
 * Helpers for tests and tools: sign a payload exactly as Pasis (and `@pasis/sandbox`) would
 * deliver it, and the conformance suite every adapter passes. Import from
 * `@pasis/core/testing`. Nothing here imports a test runner: the sandbox uses it at runtime.
 */
export { generateWebhookSecret } from '../webhooks/secret.js';
export { newWebhookId, signWebhook } from './sign.js';
export type { SignedWebhook, SignWebhookOptions } from './sign.js';
export type { ConformanceRunner } from './conformance-runner.js';
export { describeAdapterConformance } from './adapter-conformance.js';
export { CONFORMANCE_MAX_BODY_BYTES } from './conformance-limits.js';
export type { AdapterUnderTest, ConformanceServer, StartAdapter } from './adapter-conformance.js';
export { describeStoreConformance } from './store-conformance.js';
export type {
  LeaseStoreConformanceOptions,
  StoreConformanceOptions,
  TransactionalStoreConformanceOptions,
} from './store-conformance.js';
export { startSessionServer } from './session-server.js';
export type { SessionFault, SessionServer, SessionServerOptions } from './session-server.js';
export { trickleRequest } from './trickle.js';
export type { TrickleOptions, TrickleResult } from './trickle.js';
