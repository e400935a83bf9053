/**
 * Type-checks README code blocks as a user would compile them: one TypeScript program for all
 * of them (each block one module), strict, resolving `@pasis/*`, express, fastify, @nestjs/*
 * from this workspace folder like a consumer's imports (the packages' built `dist/` types).
 * Each block is a virtual file in tests/docs/; nothing is written to disk.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { type CodeBlock, typescriptBlocks } from './markdown-blocks.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
/** A markdown file's name in reports: relative to the repository when inside it. */
const shown = (file: string) => (file.startsWith(`${root}/`) ? relative(root, file) : file);
/** Types for what the blocks leave to the reader (your app, your orders), see prelude.d.ts. */
const PRELUDE = join(here, 'prelude.d.ts');

export interface BlocksReport {
  /** One line per error: `README.md:123:5 TS2304 Cannot find name 'orders'.` */
  failures: string[];
  checked: number;
  /** `README.md:42 (needs …)` for each block marked `fragment skipped`. */
  skipped: string[];
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noUncheckedIndexedAccess: true,
  esModuleInterop: true,
  skipLibCheck: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  types: ['node'],
  noEmit: true,
};

interface Virtual {
  block: CodeBlock;
  text: string;
  /** Lines the marker's declarations take at the top of the file. */
  header: number;
}

/** The markdown files' TypeScript blocks, type-checked together. */
export function typecheckMarkdown(files: string[]): BlocksReport {
  const virtual = new Map<string, Virtual>();
  const skipped: string[] = [];
  for (const file of files) {
    for (const block of typescriptBlocks(file, readFileSync(file, 'utf8'))) {
      const where = `${shown(file)}:${block.line}`;
      if (block.marker?.kind === 'skipped') {
        skipped.push(`${where} (${block.marker.reason})`);
        continue;
      }
      const declarations = block.marker?.kind === 'fragment' ? block.marker.declarations : '';
      const header = declarations === '' ? 0 : declarations.split('\n').length;
      // `export {}`: a module even without an import, so blocks never share globals.
      const text = `${declarations === '' ? '' : `${declarations}\n`}${block.code}\nexport {};\n`;
      const name = join(here, `${shown(file).replace(/[^\w]+/g, '-')}.L${block.line}.ts`);
      virtual.set(name, { block, text, header });
    }
  }

  const host = ts.createCompilerHost(OPTIONS, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name)?.text ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const entry = virtual.get(name);
    return entry
      ? ts.createSourceFile(name, entry.text, language, true)
      : getSourceFile.call(host, name, language, ...rest);
  };
  const program = ts.createProgram({ rootNames: [PRELUDE, ...virtual.keys()], options: OPTIONS, host });

  const failures: string[] = [];
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const source of program.getSourceFiles()) {
    if (virtual.has(source.fileName) || source.fileName === PRELUDE) {
      diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
    }
  }
  for (const diagnostic of diagnostics) failures.push(describe(diagnostic, virtual));
  return { failures, checked: virtual.size, skipped };
}

/** `README.md:123:5 TS2304 …`: the markdown line the error is on (a marker's, or the block's). */
function describe(diagnostic: ts.Diagnostic, virtual: Map<string, Virtual>): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const entry = diagnostic.file && virtual.get(diagnostic.file.fileName);
  if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code} ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  if (!entry)
    return `${relative(root, diagnostic.file.fileName)}:${line + 1}:${character + 1} TS${diagnostic.code} ${message}`;
  const { block, header } = entry;
  const mdLine = line < header && block.marker ? block.marker.line + line : block.line + line - header;
  return `${shown(block.file)}:${mdLine}:${character + 1} TS${diagnostic.code} ${message}`;
}
