// Generates the Prisma clients of the tests (one per database) into ./generated, before the
// tests and the typecheck: `prisma generate` offline, with no schema engine (it is only
// needed by `prisma migrate`; the tests create their tables with plain SQL).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const prisma = fileURLToPath(new URL('../../../node_modules/.bin/prisma', import.meta.url));

export default function generate() {
  for (const provider of ['postgresql', 'mysql', 'sqlite']) {
    const schema = `${here}${provider}.prisma`;
    const client = `${here}generated/${provider}/client.ts`;
    if (existsSync(client) && statSync(client).mtimeMs > statSync(schema).mtimeMs) continue;
    execFileSync(prisma, ['generate', '--schema', schema], {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generate();
