/**
 * The single list of test projects. vitest 4 ignores this file on its own, so the root
 * `vitest.config.ts` imports it as `test.projects`.
 */
export default [
  'packages/core',
  'packages/sandbox',
  'packages/express',
  'packages/fastify',
  'packages/nestjs',
  'packages/redis',
  'packages/postgres',
  'packages/sql',
  'tests',
];
