/**
 * How a receiver trusts a delivery, resolved from its options: the signing secrets (decoded
 * once), confirm-by-fetch's client, or neither (`unsafeAllowUnsigned`). Part of the options
 * module, in a file of its own.
 */
import type { PasisClient } from '../client/create-client.js';
import { createPasisClient } from '../client/create-client.js';
import { CORE_PACKAGE, configError, readEnvDefault } from '../config.js';
import { isPasisError, type PasisError } from '../errors.js';
import type { WebhookAdapterInfo } from './receiver-types.js';
import { decodeWebhookSecret } from './secret.js';
import type { WebhookHandlerOptions } from './types.js';

type Fail = (message: string) => PasisError<'config_error'>;

/**
 * Decodes every configured secret once (`secret`, then `secrets`); at least one is
 * required. Messages never contain a secret.
 */
export function resolveSecrets(
  secret: unknown,
  secrets: unknown,
  packageName = CORE_PACKAGE,
  routeOption?: string,
): Buffer[] {
  if (secrets !== undefined && (!Array.isArray(secrets) || secrets.length === 0)) {
    throw configError(packageName, 'secrets must be a non-empty array of whsec_… strings.');
  }
  const all = [...(secret === undefined ? [] : [secret]), ...((secrets as unknown[] | undefined) ?? [])];
  if (all.length === 0) throw configError(packageName, missingSecretMessage(routeOption));
  return all.map((s, i) =>
    decodeWebhookSecret(s, all.length > 1 ? `webhook secret #${i + 1}` : 'webhook secret', packageName),
  );
}

/**
 * How to fix a missing secret, in the words of the adapter's options: a plugin that takes its
 * route under `routeOption` (`webhook`) can also be told to serve no route at all.
 */
function missingSecretMessage(routeOption: string | undefined): string {
  const option = (name: string) =>
    routeOption === undefined ? `\`${name}\`` : `\`${routeOption}: { ${name} }\``;
  const noRoute =
    routeOption === undefined
      ? ''
      : `; for the client only, with no webhook route, pass \`${routeOption}: false\``;
  return (
    `no webhook secret: set PASIS_WEBHOOK_SECRET to the endpoint's whsec_… secret, or pass ${option('secret')} ` +
    `(${option('secrets')} during a rotation)${noRoute}. For a Pasis that does not sign, ${option('confirm: true')} ` +
    'checks every event with Pasis instead.'
  );
}

/** The client `confirm` confirms with: `{ client }`, the adapter's for `true`, else `createPasisClient()`. */
export function resolveConfirm(
  o: WebhookHandlerOptions<unknown>,
  adapter: WebhookAdapterInfo,
  fail: Fail,
): Pick<PasisClient, 'checkout'> | undefined {
  const { confirm } = o;
  if (confirm === undefined || confirm === false) return undefined;
  if (confirm === true) {
    const given = adapter.client;
    try {
      if (typeof given === 'function') return given();
      if (given !== undefined) return given;
      // The receiver's logger and providers: its confirming calls are traced where its deliveries are.
      return createPasisClient({
        logger: o.logger,
        tracerProvider: o.tracerProvider,
        meterProvider: o.meterProvider,
      });
    } catch (error) {
      if (!isPasisError(error, 'config_error')) throw error;
      throw fail(`confirm needs a Pasis client: ${error.message.replace(/^@[\w./-]+: /, '')}`);
    }
  }
  const client = (confirm as { client?: { checkout?: { sessions?: { retrieve?: unknown } } } } | null)
    ?.client;
  if (typeof confirm !== 'object' || typeof client?.checkout?.sessions?.retrieve !== 'function') {
    throw fail('confirm must be true or { client } with a Pasis client (createPasisClient()).');
  }
  return client as Pick<PasisClient, 'checkout'>;
}

/** `secret`/`secrets` (default `PASIS_WEBHOOK_SECRET`), or none with `unsafeAllowUnsigned` or `confirm`. */
export function resolveSecretKeys(
  o: WebhookHandlerOptions<unknown>,
  adapter: { packageName: string; routeOption?: string },
  fail: Fail,
  confirming: boolean,
) {
  if (o.unsafeAllowUnsigned !== undefined && typeof o.unsafeAllowUnsigned !== 'boolean') {
    throw fail('unsafeAllowUnsigned must be a boolean.');
  }
  if (o.unsafeAllowUnsigned === true) {
    if (o.secret !== undefined || o.secrets !== undefined) {
      throw fail('pass either a webhook secret or unsafeAllowUnsigned: true, not both.');
    }
    return undefined;
  }
  // PASIS_WEBHOOK_SECRET is the documented default of `secret`, read once, here.
  const secret = o.secret ?? (o.secrets === undefined ? readEnvDefault('PASIS_WEBHOOK_SECRET') : undefined);
  // With confirm, a secret is optional: when there is one, deliveries are verified too.
  if (confirming && secret === undefined && o.secrets === undefined) return undefined;
  return resolveSecrets(secret, o.secrets, adapter.packageName, adapter.routeOption);
}
