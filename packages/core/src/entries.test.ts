/**
 * The built entries: core's main entry is runtime-neutral, so nothing of `@pasis/core/node`
 * (node:http, the raw reader, the Fastify route) may be bundled into it.
 * Needs `pnpm --filter @pasis/core build` first; the root `pnpm test` builds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (file: string) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

describe('the built entries', () => {
  it.each(['index.js', 'index.cjs'])('%s holds nothing of @pasis/core/node', (file) => {
    if (!existsSync(dist(file)))
      throw new Error(`${dist(file)} is missing: run \`pnpm --filter @pasis/core build\` first.`);
    const main = readFileSync(dist(file), 'utf8');
    for (const marker of [
      'readRawBody',
      'serveWebhook',
      'registerFastifyWebhookRoute',
      'fromPinoLogger',
      'node:http',
    ]) {
      expect(main, marker).not.toContain(marker);
    }
  });

  it('node.js exports the Node helpers', async () => {
    const node = await import(/* @vite-ignore */ pathToFileURL(dist('node.js')).href);
    expect(Object.keys(node).sort()).toEqual(
      [
        'fromPinoLogger',
        'isBodyConsumed',
        'isLoggerOn',
        'readRawBody',
        'registerFastifyWebhookRoute',
        'serveWebhook',
        'toWebhookBody',
        'writeWebhookResponse',
      ].sort(),
    );
  });
});
