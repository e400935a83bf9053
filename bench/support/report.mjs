// Turns the rows of N runs of every bench file into one row per benchmark (medians over runs,
// the range and spread of the ratio), and formats them for the console and for markdown.
// Several fresh runs, not one long one: on a shared 2-core machine a whole run can land on a
// slow minute, and only the spread between runs shows how far one number can be trusted.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round3 = (n) => Math.round(n * 1000) / 1000;
const numbers = (rows, key) => rows.map((r) => r[key]).filter((v) => typeof v === 'number');

/** A bench's own within-run spread: a number, or one per side (the largest is shown). */
const largest = (spread) =>
  typeof spread === 'number' ? spread : spread ? Math.max(...Object.values(spread)) : undefined;

/**
 * `runs[i]` holds the rows of run i+1 (each with its `file`). Rows are matched by `name` and
 * `baselineName`; a row is ok only if it was ok in every one of the `runs.length` runs (a run
 * where it is missing, an error or not run counts against it).
 */
export function aggregate(runs) {
  const groups = new Map();
  for (const rows of runs) {
    for (const row of rows) {
      const key = `${row.name}\u0000${row.baselineName ?? ''}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(row);
    }
  }
  return [...groups.values()].map((rows) => {
    const measured = rows.filter((r) => !r.error && !r.skipped);
    const ratios = numbers(measured, 'ratio');
    const { file, name, unit, baselineName, goal, note, quick } = measured[0] ?? rows[0];
    const row = { file, name, unit, baselineName, goal, note, runs: runs.length };
    if (quick) row.quick = true;
    row.okRuns = rows.filter((r) => r.ok && !r.error && !r.skipped).length;
    row.ok = row.okRuns === runs.length;
    if (ratios.length > 0) {
      const [min, max] = [Math.min(...ratios), Math.max(...ratios)];
      row.ours = median(numbers(measured, 'ours'));
      row.baseline = median(numbers(measured, 'baseline'));
      row.ratio = round3(median(ratios));
      row.range = [min, max];
      row.spread = round3((max - min) / median(ratios));
    }
    // Passed through per run: what each bench said of its own rounds.
    if (measured.some((r) => r.spread !== undefined))
      row.withinRunSpread = measured.map((r) => r.spread ?? null);
    if (measured.some((r) => r.rounds !== undefined)) row.rounds = measured.map((r) => r.rounds ?? null);
    const errors = rows.filter((r) => r.error).map((r) => r.error);
    if (errors.length > 0) row.error = errors[0];
    if (measured.length === 0 && rows.some((r) => r.skipped))
      row.skipped = rows.find((r) => r.skipped).skipped;
    return row;
  });
}

const fmt = (n) =>
  typeof n === 'number' ? (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(3)) : '';
const pct = (n) => `${(n * 100).toFixed(1)}%`;

function spreadText(r) {
  const parts = [];
  if (r.runs > 1 && typeof r.spread === 'number') parts.push(`${pct(r.spread)} across runs`);
  const within = (r.withinRunSpread ?? []).map(largest).filter((v) => typeof v === 'number');
  if (within.length > 0) parts.push(`≤ ${pct(Math.max(...within))} within a run`);
  return parts.join(', ');
}

function okText(r) {
  const count = `ok in ${r.okRuns}/${r.runs} runs`;
  if (r.error) return `error: ${r.error.split('\n')[0]} (${count})`;
  if (r.skipped) return `not run: ${r.skipped}`;
  return `${r.ok ? 'yes' : 'NO'} (${count})`;
}

/** The columns shown, in order, for the console and the markdown table alike. */
export function tableRows(rows) {
  return rows.map((r) => ({
    benchmark: r.name,
    unit: r.unit ?? '',
    ours: fmt(r.ours),
    baseline: r.baselineName ? `${fmt(r.baseline)} (${r.baselineName})` : fmt(r.baseline),
    'ratio (median)': fmt(r.ratio),
    range: r.runs > 1 && r.range ? `${fmt(r.range[0])}–${fmt(r.range[1])}` : '',
    spread: spreadText(r),
    goal: r.quick ? '(quick: not a measurement)' : (r.goal ?? ''),
    ok: okText(r),
  }));
}

/** A markdown table of the same rows, with a line saying where and how it was measured. */
export function markdown(rows, { date, node, cpu, cpus, commit, runs, quick }) {
  const table = tableRows(rows);
  const columns = Object.keys(table[0] ?? { benchmark: '' });
  const cell = (v) => String(v).replace(/\|/g, '\\|');
  const lines = [
    `Measured ${date.slice(0, 10)}${commit ? ` at ${commit}` : ''}: node ${node}, ${cpus} × ${cpu}; ` +
      `${runs} run${runs === 1 ? '' : 's'} per benchmark, each in a fresh process${quick ? ' (QUICK: smoke run, not a measurement)' : ''}.`,
    '',
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...table.map((t) => `| ${columns.map((c) => cell(t[c])).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}
