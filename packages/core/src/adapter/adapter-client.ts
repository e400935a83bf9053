import { createPasisClient, type PasisClient } from '../client/create-client.js';
import type { PasisClientOptions } from '../client/options.js';
import { configError } from '../config.js';
import { isPasisError } from '../errors.js';
import { renamePackage, withoutPackage, withPackageName } from './package-name.js';

/**
 * The client an adapter exposes, built once at registration. Every mistake throws at once,
 * naming the adapter's package; only a missing appId (no `appId`, no `PASIS_APP_ID`) waits
 * until the client is used, because a webhook-only app needs none.
 */
export function adapterClient(
  options: PasisClientOptions,
  packageName: string,
  clientName: string,
): () => PasisClient {
  try {
    const client = createPasisClient(options);
    return () => client;
  } catch (error) {
    if (!isPasisError(error, 'config_error') || options.appId !== undefined) {
      throw renamePackage(error, packageName);
    }
    // Was the appId all that was missing? Every other option must be right already: a build
    // with a stand-in appId (never used for a request) checks them.
    withPackageName(packageName, () => createPasisClient({ ...options, appId: 'app_webhook_only' }));
    const message = `${clientName} is not configured: ${withoutPackage(error.message)}`;
    return () => {
      throw configError(packageName, message);
    };
  }
}
