import { DEFAULT_RECONCILE_EVERY_MS, DEFAULT_RECONCILE_OLDER_THAN_MS, PasisError } from '@pasis/core';
import { z } from 'zod';
import { DEFAULT_APPROVAL_WINDOW_MS, DEFAULT_RETURN_CHECK_INTERVAL_MS } from './reconcile/return-page.js';

export { SHOP_KIT } from './package-name.js';

import { SHOP_KIT } from './package-name.js';

/** What the shop needs to run, besides its database. */
export interface ShopConfig {
  pasis: { appId: string; baseUrl: string; webhookSecret: string };
  /**
   * The reconciler (CONTRACT §5): orders still `pending` after `afterMs` are checked with
   * Pasis every `intervalMs`; `intervalMs: 0` turns it off. Default 60,000 ms each.
   */
  reconcile?: ReconcileConfig;
  /**
   * The return page asks Pasis about one pending order at most this often
   * (`RETURN_CHECK_INTERVAL_MS`, CONTRACT §5). Default 5,000 ms.
   */
  returnCheckIntervalMs?: number;
  /**
   * How long a payer has to approve the prompt on their phone (`APPROVAL_WINDOW_MS`, CONTRACT
   * §4): the return page counts it down while the order is pending. Default 300,000 ms.
   */
  approvalWindowMs?: number;
}

/** When the reconciler runs: `RECONCILE_AFTER_MS` and `RECONCILE_INTERVAL_MS`. */
export interface ReconcileConfig {
  afterMs: number;
  intervalMs: number;
}

// Node's timers hold at most 2^31 - 1 ms; core's reconciler refuses longer ones.
const MAX_TIMER_MS = 2_147_483_647;
// An empty value (`DATABASE_URL=` in a .env file) means "not set", not "set to nothing".
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const milliseconds = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(MAX_TIMER_MS).default(fallback));

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PASIS_BASE_URL: z.url().default('https://checkout.pasis.rw'),
  PASIS_APP_ID: z.string().min(1, 'set PASIS_APP_ID (pnpm demo, or `pasis sandbox`, prints it)'),
  PASIS_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'set PASIS_WEBHOOK_SECRET to the whsec_… secret'),
  // Orders live in PostgreSQL when this is set, else in PGlite under SHOP_DATA_DIR.
  DATABASE_URL: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  SHOP_DATA_DIR: z.preprocess(unsetIfEmpty, z.string().optional()),
  RECONCILE_AFTER_MS: milliseconds(DEFAULT_RECONCILE_OLDER_THAN_MS),
  RECONCILE_INTERVAL_MS: milliseconds(DEFAULT_RECONCILE_EVERY_MS),
  RETURN_CHECK_INTERVAL_MS: milliseconds(DEFAULT_RETURN_CHECK_INTERVAL_MS),
  APPROVAL_WINDOW_MS: milliseconds(DEFAULT_APPROVAL_WINDOW_MS),
});

/** The shop's environment, checked and with its defaults. */
export type ShopEnv = z.output<typeof env>;

/** Every variable the shop reads (the Nest shop reads each through `ConfigService`). */
export const SHOP_ENV_KEYS = Object.keys(env.shape) as (keyof ShopEnv)[];

/**
 * Reads and checks the environment once, at start-up: the Express and Fastify shops'
 * `main.ts`, and the Nest shop's `ConfigModule` (`validate`). A problem is a
 * `PasisError('config_error')` listing every variable at fault, never a value.
 *
 * @example
 * const env = readShopEnv(); // { PORT: 3000, PASIS_APP_ID: 'app_…', RECONCILE_INTERVAL_MS: 60000, … }
 */
export function readShopEnv(source: Record<string, unknown> = process.env): ShopEnv {
  const result = env.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new PasisError(
      'config_error',
      `${SHOP_KIT}: the shop's environment is incomplete:\n${problems.join('\n')}`,
    );
  }
  return result.data;
}

/**
 * The shop's configuration from its environment.
 *
 * @example
 * const config = shopConfig(readShopEnv()); // { pasis: { … }, reconcile: { afterMs, intervalMs }, returnCheckIntervalMs }
 */
export function shopConfig(env: ShopEnv): Required<ShopConfig> {
  return {
    pasis: { appId: env.PASIS_APP_ID, baseUrl: env.PASIS_BASE_URL, webhookSecret: env.PASIS_WEBHOOK_SECRET },
    reconcile: { afterMs: env.RECONCILE_AFTER_MS, intervalMs: env.RECONCILE_INTERVAL_MS },
    returnCheckIntervalMs: env.RETURN_CHECK_INTERVAL_MS,
    approvalWindowMs: env.APPROVAL_WINDOW_MS,
  };
}
