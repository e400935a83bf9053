import { z } from 'zod';

/** What the shop needs to run. */
export interface ShopConfig {
  pasis: { appId: string; baseUrl: string; webhookSecret: string };
}

const env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PASIS_BASE_URL: z.url().default('https://checkout.pasis.rw'),
  PASIS_APP_ID: z.string().min(1, 'set PASIS_APP_ID (pnpm demo, or `pasis sandbox`, prints it)'),
  PASIS_WEBHOOK_SECRET: z.string().startsWith('whsec_', 'set PASIS_WEBHOOK_SECRET to the whsec_… secret'),
  REDIS_URL: z.string().optional(),
});

/**
 * Reads and checks the environment once, at start-up, with a readable error: the Express
 * and Fastify shops' `main.ts` (the Nest shop reads it through `@nestjs/config`).
 */
export function readShopEnv(source: NodeJS.ProcessEnv = process.env) {
  const result = env.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`The shop's environment is incomplete:\n${problems.join('\n')}`);
  }
  return result.data;
}
