/**
 * `@pasis/sandbox`: a local, offline Pasis for development and tests.
 */
export { createSandbox } from './server.js';
export type { Sandbox, SandboxOptions } from './server.js';
export type { CompleteInput, RegisterAppInput } from './service.js';
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
export {
  DEFAULT_APPROVAL_WINDOW_MS,
  DEFAULT_WEBHOOK_DELAY_MS,
  RESPONSE_BODY_LIMIT,
  WEBHOOK_BEHAVIOURS,
} from './model.js';
export type { SandboxStore, StoreChange } from './store/sandbox-store.js';
export { DATA_FILES, FORMAT_VERSION } from './store/database.js';
export { DEFAULT_RETRY_SCHEDULE } from './deliveries/engine.js';
export { formatDuration, parseDuration, parseRetrySchedule } from './durations.js';
export {
  APPROVING_NUMBER,
  DECLINING_NUMBER,
  DEFAULT_APPROVED_NUMBERS,
  PAYMENT_PENDING_MESSAGE,
  PHONE_NOT_FOUND_HINT,
  SILENT_NUMBER,
} from './payment-rules.js';
