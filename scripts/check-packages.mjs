#!/usr/bin/env node
// Packs every published package the way it will be published and checks the tarball with
// publint (package.json correctness) and @arethetypeswrong/cli (types resolve for ESM, CJS,
// node10 and bundlers). Any problem fails the run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');
const out = mkdtempSync(join(tmpdir(), 'pasis-pack-'));
let failures = 0;

for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  console.log(`\n── ${manifest.name}`);
  const packed = execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, encoding: 'utf8' });
  const tarball = packed.trim().split('\n').pop().trim();
  const checks = [
    ['publint', ['exec', 'publint', 'run', tarball, '--strict']],
    ['attw', ['exec', 'attw', tarball, '--format', 'ascii', '--profile', 'node16']],
  ];
  for (const [label, args] of checks) {
    const run = spawnSync('pnpm', args, { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) {
      failures += 1;
      console.log(`✗ ${label} found problems in ${manifest.name}`);
    }
  }
}
rmSync(out, { recursive: true, force: true });
console.log(failures === 0 ? '\nAll packages are clean.' : `\n${failures} check(s) failed.`);
process.exit(failures === 0 ? 0 : 1);
