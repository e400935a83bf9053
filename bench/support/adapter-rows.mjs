// The rows of one adapter benchmark (load.mjs measured it): each pair of sides judged as
// requests per CPU-second of the server process, and the same pair's plain throughput
// (requests per wall-clock second at the client) beside it, measured only. On a loaded
// 2-core machine the client often sets the pace, which pulls a plain throughput ratio
// towards 1 and flatters whichever side is slower; the server's own CPU time does not.

const round3 = (n) => Math.round(n * 1000) / 1000;
const pct = (n) => `${(n * 100).toFixed(1)}%`;

function pair(name, [a, b], baselineName, measured, goal) {
  const { cpuRps, rps, spread, rpsSpread, userUs, systemUs, rounds, requests } = measured;
  const split = (side) =>
    `${side} ${userUs[side].toFixed(1)} µs user + ${systemUs[side].toFixed(1)} µs system`;
  const ratio = cpuRps[a] / cpuRps[b];
  const wallRatio = rps[a] / rps[b];
  const how =
    `every request a distinct signed delivery (the handler really runs); 16 in flight over loopback; ` +
    `median of ${rounds} rotating rounds of ${requests.toLocaleString('en')}`;
  return [
    {
      name,
      unit: 'req/CPU-s',
      ours: cpuRps[a],
      baseline: cpuRps[b],
      baselineName,
      ratio: round3(ratio),
      goal: goal == null ? 'none (measured)' : `≥ ${goal.toFixed(2)}`,
      ok: goal == null ? true : ratio >= goal,
      rounds,
      spread: { [a]: round3(spread[a]), [b]: round3(spread[b]) },
      extra: {
        throughputRatio: round3(wallRatio),
        throughput: { [a]: rps[a], [b]: rps[b] },
        userUs: { [a]: userUs[a], [b]: userUs[b] },
        systemUs: { [a]: systemUs[a], [b]: systemUs[b] },
      },
      note:
        `requests per CPU-second of the server process (process.cpuUsage() around each round); ` +
        `per request: ${split(a)}, ${split(b)}; ${how}; ` +
        `spread of the rounds: ${a} ${pct(spread[a])}, ${b} ${pct(spread[b])}; plain throughput ratio ${wallRatio.toFixed(3)}`,
    },
    {
      name: `${name}, plain throughput`,
      unit: 'req/s',
      ours: rps[a],
      baseline: rps[b],
      baselineName,
      ratio: round3(wallRatio),
      goal: 'none (measured)',
      ok: true,
      rounds,
      spread: { [a]: round3(rpsSpread[a]), [b]: round3(rpsSpread[b]) },
      note: `requests per wall-clock second at the client; ${how}`,
    },
  ];
}

/**
 * The rows of one adapter benchmark: ours against the limit (the goal), ours and the limit
 * against the bare baseline (measured), each by CPU time with its plain throughput beside it.
 * Without a limit: ours against the baseline, with the goal.
 */
export function adapterRows({ name, baselineName, limit, measured, goal }) {
  if (!limit) return pair(name, ['ours', 'baseline'], baselineName, measured, goal);
  return [
    ...pair(`${name} vs the limit`, ['ours', 'limit'], limit.name, measured, goal),
    ...pair(`${name} vs the bare baseline`, ['ours', 'baseline'], baselineName, measured),
    ...pair(`${limit.name} (the limit) vs the bare baseline`, ['limit', 'baseline'], baselineName, measured),
  ];
}
