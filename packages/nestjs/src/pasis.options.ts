import type { PasisClient as CorePasisClient, PasisLogger, WebhookStore } from '@pasis/core';

/**
 * Options of `PasisModule.forRoot()` / `forRootAsync()`. Every option has a default, so
 * `PasisModule.forRoot()` alone works with `PASIS_APP_ID` and `PASIS_WEBHOOK_SECRET` set.
 */
export interface PasisModuleOptions {
  /** Default `PASIS_APP_ID`. Without either, `PasisClient` throws a `config_error` on use. */
  appId?: string;
  /** Default `PASIS_BASE_URL`, else `https://checkout.pasis.rw`. */
  baseUrl?: string;
  /** Default `PASIS_WEBHOOK_SECRET`. */
  webhookSecret?: string;
  /** Several secrets during a rotation. */
  webhookSecrets?: readonly string[];
  /** Accept unsigned deliveries (unsafe; logged as a warning). Default `false`. */
  unsafeAllowUnsigned?: boolean;
  /** Path of the webhook route, absolute (no global prefix is applied). Default `'webhook'`. */
  webhookPath?: string;
  /** Dedupe store. Default: core's in-memory store. */
  store?: WebhookStore;
  /** Largest body accepted. Default 262,144 bytes. */
  maxBodyBytes?: number;
  /** Allowed clock difference in seconds. Default 300. */
  toleranceSec?: number;
  /** A ready client instead of appId/baseUrl (tests). */
  client?: CorePasisClient;
  /** Logger. Default: Nest's `Logger` with the context `Pasis`. */
  logger?: PasisLogger;
}
