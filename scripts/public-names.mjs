#!/usr/bin/env node
// `pnpm api:report`: writes docs/public-names.md, every public name of every published entry
// point, from the built packages (scripts/lib/public-names.mjs). Run after `pnpm build`.
//
//   node scripts/public-names.mjs                  writes the report
//   node scripts/public-names.mjs --check          exits 1, naming each difference, when the
//                                                  build and the committed report disagree
//   … --report <file>                              another report file (tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { publicNames, renderReport } from './lib/public-names.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, report: { type: 'string' } },
});
const file = values.report ?? fileURLToPath(new URL('../docs/public-names.md', import.meta.url));
const report = renderReport(publicNames(root));

if (!values.check) {
  writeFileSync(file, report);
  console.log(`written: ${file}`);
} else {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // No report yet: every name is a difference.
  }
  if (committed === report) {
    console.log('The public names match docs/public-names.md.');
  } else {
    // Each name line under its entry, so a difference says which entry gained or lost what.
    const named = (text) => {
      const out = new Set();
      let entry = '';
      for (const line of text.split('\n')) {
        if (line.startsWith('## ')) entry = line.slice(3).replace(/ \(\d+\)$/, '');
        else if (line.startsWith('- ')) out.add(`${entry}: ${line.slice(2)}`);
      }
      return out;
    };
    const [built, kept] = [named(report), named(committed)];
    for (const line of built) if (!kept.has(line)) console.error(`+ ${line} (exported, not in the report)`);
    for (const line of kept)
      if (!built.has(line)) console.error(`- ${line} (in the report, no longer exported)`);
    console.error(
      'The public names differ from docs/public-names.md. If the change is meant, run `pnpm api:report` ' +
        'and commit the report (with a changeset); if not, the export above is an accident.',
    );
    process.exit(1);
  }
}
