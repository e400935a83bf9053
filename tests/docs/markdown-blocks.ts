/**
 * The TypeScript code blocks of a markdown file (```ts, ```typescript, ```tsx), each with the
 * line it starts on and the marker written right before it, if any:
 *
 *   <!-- fragment: declare const app: ExpressApp; declare const orders: YourCode -->
 *     the block uses names from the text around it: these declarations are checked with it;
 *   <!-- fragment skipped: needs pasisWebhook(on, options) -->
 *     the block cannot be checked (yet): the reason says why.
 *
 * Only blank lines may stand between the marker and the block's fence.
 */
/** A marker, and the 1-based line its text (declarations or reason) starts on. */
export type BlockMarker =
  | { kind: 'fragment'; declarations: string; line: number }
  | { kind: 'skipped'; reason: string; line: number };

export interface CodeBlock {
  /** The markdown file, as given. */
  file: string;
  /** 1-based line of the block's first line of code (the one after the fence). */
  line: number;
  lang: string;
  code: string;
  marker?: BlockMarker;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const TS_LANGS = new Set(['ts', 'typescript', 'tsx']);
const MARKER = /<!--\s*fragment(\s+skipped)?\s*:([\s\S]*?)-->\s*$/;

/** Every TypeScript block of `markdown` (the text of `file`), in order. */
export function typescriptBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, , fence, lang = ''] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence!)) end++;
    if (TS_LANGS.has(lang.toLowerCase())) {
      blocks.push({
        file,
        line: i + 2,
        lang,
        code: lines.slice(i + 1, end).join('\n'),
        marker: markerBefore(lines, i),
      });
    }
    i = end;
  }
  return blocks;
}

/** The marker comment ending on the last non-blank line before line `fence` (0-based), if any. */
function markerBefore(lines: string[], fence: number): BlockMarker | undefined {
  let last = fence - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  if (last < 0 || !lines[last]!.trim().endsWith('-->')) return undefined;
  let first = last;
  while (first > 0 && !lines[first]!.includes('<!--')) first--;
  const comment = lines.slice(first, last + 1).join('\n');
  const match = MARKER.exec(comment);
  if (!match) return undefined;
  const text = match[2]!.trim();
  // The line the text starts on, which may be below the `<!--`.
  const start = match.index + match[0].indexOf(match[2]!) + match[2]!.search(/\S|$/);
  const line = first + 1 + (comment.slice(0, start).match(/\n/g)?.length ?? 0);
  return match[1] ? { kind: 'skipped', reason: text, line } : { kind: 'fragment', declarations: text, line };
}
