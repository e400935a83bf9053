/**
 * Every TypeScript block of README.md and packages/*\/README.md compiles against the current
 * packages (strict, as a module of a consumer's project), so the READMEs cannot drift from
 * the API. Fragments say what they use from around them with a marker (see
 * markdown-blocks.ts); an error names the README and the line.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { typecheckMarkdown } from './typecheck-blocks.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readmes = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name, 'README.md')),
];

// The Prisma client the @pasis/sql README's blocks are typed with (prelude.d.ts), generated
// offline as that package's tests generate it.
const generatePrisma = fileURLToPath(
  new URL('../../packages/sql/src/test-support/prisma/generate.mjs', import.meta.url),
);

describe('README code blocks', () => {
  it('all compile against the current API', () => {
    execFileSync(process.execPath, [generatePrisma], { stdio: 'inherit' });
    const started = performance.now();
    const { failures, checked, skipped } = typecheckMarkdown(readmes);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`README blocks: ${checked} type-checked, ${skipped.length} skipped, in ${seconds} s`);
    for (const block of skipped) console.log(`  skipped: ${block}`);
    expect(failures.join('\n')).toBe('');
    expect(checked).toBeGreaterThan(25);
  });
});

describe('the README check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (markdown: string) => {
    const file = join(dir, `case-${Math.random().toString(36).slice(2)}.md`);
    writeFileSync(file, markdown);
    return { file, ...typecheckMarkdown([file]) };
  };

  it('names the file and line of a block that no longer compiles', () => {
    const { file, failures, checked } = check(
      [
        '# A README',
        '',
        '```ts',
        "import { createPasisClient } from '@pasis/core';",
        'const pasis = createPasisClient();',
        '```',
        '',
        '```typescript',
        "import { createPasisClient } from '@pasis/core';",
        "createPasisClient({ appId: 42, retries: 'twice' });",
        '```',
      ].join('\n'),
    );
    expect(checked).toBe(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(new RegExp(`^${file}:10:\\d+ TS2\\d+ `));
  });

  it('checks a fragment with what its marker declares, and fails it without', () => {
    const block = ['```ts', 'const paid: string = orders.total();', '```'];
    expect(check(block.join('\n')).failures).toEqual([
      expect.stringContaining(":2:22 TS2304 Cannot find name 'orders'"),
    ]);
    const marked = check(
      ['<!-- fragment: declare const orders: { total(): string } -->', ...block].join('\n'),
    );
    expect(marked.failures).toEqual([]);
    const wrong = check(
      ['<!-- fragment: declare const orders: { total(): number } -->', ...block].join('\n'),
    );
    expect(wrong.failures).toEqual([expect.stringMatching(/:3:7 TS2322 /)]);
  });

  it('reports an error in a marker on the marker, and lists skipped blocks with their reason', () => {
    const { file, failures, skipped, checked } = check(
      [
        '<!-- fragment:',
        'declare const orders: Missing; -->',
        '```tsx',
        'orders;',
        '```',
        '',
        '<!-- fragment skipped: needs pasisWebhook(on, options) -->',
        '```ts',
        'this is not TypeScript',
        '```',
      ].join('\n'),
    );
    expect(checked).toBe(1);
    expect(failures).toEqual([
      expect.stringMatching(new RegExp(`^${file}:2:\\d+ TS2304 Cannot find name 'Missing'`)),
    ]);
    expect(skipped).toEqual([`${file}:9 (needs pasisWebhook(on, options))`]);
  });
});
