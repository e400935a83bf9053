// `prisma generate` for the shop, offline: the generator needs no schema engine (only
// `prisma migrate` does, and the shop creates its tables itself), so the engine is pointed at
// `true`. Skipped when the client is newer than the schema. Run by `build`, `typecheck`, and
// the e2e tests' globalSetup (which load the shop's sources).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const schema = fileURLToPath(new URL('./schema.prisma', import.meta.url));
const client = fileURLToPath(new URL('../src/db/generated/client.ts', import.meta.url));
const prisma = fileURLToPath(new URL('../node_modules/.bin/prisma', import.meta.url));
const noEngine = ['/bin/true', '/usr/bin/true'].find((path) => existsSync(path));

export default function generate() {
  if (existsSync(client) && statSync(client).mtimeMs > statSync(schema).mtimeMs) return;
  execFileSync(prisma, ['generate', '--schema', schema], {
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? noEngine },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generate();
