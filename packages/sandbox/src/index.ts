/**
 * `@pasis/sandbox`: a local, offline Pasis for development and tests.
 */

export type { SandboxLogger } from './logger.js';
export type {
  AttemptReason,
  AttemptResponse,
  DeliveryAttempt,
  DeliveryState,
  IdempotencyRecord,
  PendingApproval,
  SandboxApp,
  SandboxDelivery,
  SandboxItem,
  SandboxSession,
  WebhookBehaviour,
} from './model.js';
export { DEFAULT_APPROVAL_WINDOW_MS } from './model.js';
export {
  APPROVING_NUMBER,
  DECLINING_NUMBER,
  DEFAULT_APPROVED_NUMBERS,
  PHONE_NOT_FOUND_HINT,
  SILENT_NUMBER,
} from './payment-rules.js';
export type { Sandbox, SandboxOptions } from './server.js';
export { createSandbox } from './server.js';
export type { CompleteInput, RegisterAppInput } from './service.js';
export { FORMAT_VERSION } from './store/database.js';
export type { SandboxStore, StoreChange } from './store/sandbox-store.js';
