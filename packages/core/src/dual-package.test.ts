/**
 * The built package loaded twice in one process, as ESM and as CJS (a dual-package hazard:
 * an app importing @pasis/core while a CJS dependency requires it). Errors made by one
 * copy must be recognised by the other, by isPasisError and by instanceof alike.
 * Needs `pnpm --filter @pasis/core build` first; the root `pnpm test` builds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

type Core = typeof import('./index.js');

const esmPath = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const cjsPath = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));

let esm: Core;
let cjs: Core;

beforeAll(async () => {
  for (const path of [esmPath, cjsPath]) {
    if (!existsSync(path))
      throw new Error(`${path} is missing: run \`pnpm --filter @pasis/core build\` first.`);
  }
  esm = await import(/* @vite-ignore */ pathToFileURL(esmPath).href);
  cjs = createRequire(import.meta.url)(cjsPath);
});

describe('dual package (dist/index.js + dist/index.cjs)', () => {
  it('loads two distinct copies', () => {
    expect(esm.PasisError).not.toBe(cjs.PasisError);
    expect(typeof esm.createPasisClient).toBe('function');
    expect(typeof cjs.createPasisClient).toBe('function');
  });

  it('each copy recognises the other copy’s errors', () => {
    const fromEsm = new esm.PasisError('timeout', 'esm');
    const fromCjs = new cjs.PasisError('rate_limited', 'cjs', { retryAfterMs: 1000 });
    expect(cjs.isPasisError(fromEsm)).toBe(true);
    expect(cjs.isPasisError(fromEsm, 'timeout')).toBe(true);
    expect(cjs.isPasisError(fromEsm, 'aborted')).toBe(false);
    expect(fromEsm instanceof cjs.PasisError).toBe(true);
    expect(esm.isPasisError(fromCjs, 'rate_limited')).toBe(true);
    expect(fromCjs instanceof esm.PasisError).toBe(true);
    expect(fromCjs instanceof Error).toBe(true);
  });

  it('errors thrown by one copy’s client are recognised by the other', async () => {
    let thrown: unknown;
    try {
      cjs.createPasisClient({ appId: '' });
    } catch (error) {
      thrown = error;
    }
    expect(esm.isPasisError(thrown, 'config_error')).toBe(true);
    expect(thrown instanceof esm.PasisError).toBe(true);

    const client = esm.createPasisClient({ appId: 'app', baseUrl: 'http://127.0.0.1:9/' });
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid params
    const rejected = await client.checkout.sessions.create({ items: [] } as any).catch((e: unknown) => e);
    expect(cjs.isPasisError(rejected, 'validation_error')).toBe(true);
    expect(rejected instanceof cjs.PasisError).toBe(true);
  });

  it('holds in plain Node too, outside the test runner’s module loader', () => {
    const script = `
      const { pathToFileURL } = require('node:url');
      const cjs = require(${JSON.stringify(cjsPath)});
      import(pathToFileURL(${JSON.stringify(esmPath)}).href).then((esm) => {
        const a = new esm.PasisError('timeout', 'x');
        const b = new cjs.PasisError('timeout', 'y');
        console.log(JSON.stringify([
          esm.PasisError !== cjs.PasisError,
          cjs.isPasisError(a), a instanceof cjs.PasisError,
          esm.isPasisError(b), b instanceof esm.PasisError,
        ]));
      });`;
    const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true, true, true, true]);
  });
});
