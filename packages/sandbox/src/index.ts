/**
 * `@pasis/sandbox`: a local, offline Pasis for development and tests.
 */
export { createSandbox } from './server.js';
export type { Sandbox, SandboxOptions } from './server.js';
export type { RegisterAppInput } from './service.js';
export type { SandboxLogger } from './logger.js';
export type { DeliveryAttempt, SandboxApp, SandboxDelivery, SandboxItem, SandboxSession } from './store.js';
export { DEFAULT_RETRY_SCHEDULE } from './deliveries.js';
export { APPROVING_NUMBER, DECLINING_NUMBER, PHONE_NOT_FOUND_HINT } from './payment-rules.js';
