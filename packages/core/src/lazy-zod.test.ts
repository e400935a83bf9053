/**
 * zod is loaded only to explain a refusal. The built package (both builds) runs in a child
 * process beside a `zod` that announces itself when loaded: a valid delivery and a valid
 * create never load it; an invalid event does, and is still explained with zod's issues.
 * Needs `pnpm --filter @pasis/core build` first; the root `pnpm test` builds.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pasis-lazy-zod-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A copy of the package whose `zod` is the real one behind a marker on stderr.
const core = join(dir, 'node_modules', '@pasis', 'core');
mkdirSync(core, { recursive: true });
cpSync(join(packageDir, 'dist'), join(core, 'dist'), { recursive: true });
cpSync(join(packageDir, 'package.json'), join(core, 'package.json'));
const realZod = realpathSync(join(packageDir, 'node_modules', 'zod'));
mkdirSync(join(dir, 'node_modules', 'zod'));
writeFileSync(
  join(dir, 'node_modules', 'zod', 'package.json'),
  JSON.stringify({ name: 'zod', version: '4.0.0', main: 'index.cjs' }),
);
writeFileSync(
  join(dir, 'node_modules', 'zod', 'index.cjs'),
  `process.stderr.write('ZOD LOADED\\n');\nmodule.exports = require(${JSON.stringify(join(realZod, 'index.cjs'))});\n`,
);

const script = (load: string) => `
${load}
const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
const { signWebhook } = testing;
const webhooks = core.createWebhookHandler({ secret, logger: core.silentLogger, on: () => {} });
const good = signWebhook({ kind: 'session:processed', session_id: 's', amount: 1, status: 'success' }, { secret });
const ok = await webhooks.handle(good);
process.stderr.write('handled ' + ok.status + '\\n');
core.createPasisClient({ appId: 'app', baseUrl: 'http://127.0.0.1:9' });
const bad = signWebhook({ kind: 'session:processed', session_id: 's', amount: -1, status: 'paid' }, { secret });
const refused = await webhooks.handle(bad);
process.stderr.write('refused ' + refused.status + ' ' + JSON.parse(refused.body).error.code + '\\n');
`;

/** Runs the script against one build; returns what it wrote to stderr, line by line. */
function run(kind: 'esm' | 'cjs'): string[] {
  const load =
    kind === 'esm'
      ? "const core = await import('@pasis/core'); const testing = await import('@pasis/core/testing');"
      : "const core = require('@pasis/core'); const testing = require('@pasis/core/testing');";
  const file = join(dir, kind === 'esm' ? 'main.mjs' : 'main.cjs');
  writeFileSync(file, kind === 'esm' ? script(load) : `(async () => {${script(load)}})();`);
  const child = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the ${kind} script failed: ${child.stderr}`);
  return child.stderr.trim().split('\n');
}

describe.each(['esm', 'cjs'] as const)('zod, lazily (%s build)', (kind) => {
  it('is not loaded for valid input, and is for an event it must explain', () => {
    expect(run(kind)).toEqual(['handled 200', 'ZOD LOADED', 'refused 400 invalid_event']);
  });
});
