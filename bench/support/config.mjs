// How hard a benchmark should work. `bench/run.mjs --quick` (or PASIS_BENCH_QUICK=1) asks for a
// smoke run: just enough work to show the code runs end to end. Its numbers are noise, and the
// runner marks its rows so that nobody quotes them.

/**
 * `{ quick, rounds(def), requests(def), warmups(def) }`: each helper returns `def` in a full
 * run and a small fixed count in quick mode, so a bench file reads as its full-run numbers.
 */
export function benchConfig() {
  const quick = /^(1|true|yes)$/i.test(process.env.PASIS_BENCH_QUICK ?? '');
  return {
    quick,
    rounds: (def) => (quick ? Math.min(def, 3) : def),
    requests: (def) => (quick ? Math.min(def, 500) : def),
    warmups: (def) => (quick ? Math.min(def, 1) : def),
  };
}
