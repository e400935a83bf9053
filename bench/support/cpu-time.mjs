// What the in-process benchmarks (webhooks, webhooks-scaling) time with: CPU time, not wall
// time, so that a round the scheduler interrupts is not charged for the wait; and the event
// bodies they verify.
import { median } from './report.mjs';

/** This process's CPU time so far (user + system), in µs. */
export const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** CPU ns per call of `fn(i)` over `iterations` calls. */
export function timePerOp(fn, iterations) {
  const start = cpuMicros();
  for (let i = 0; i < iterations; i++) fn(i);
  return ((cpuMicros() - start) * 1000) / iterations;
}

/** CPU ns per call of `await fn(i)` over `iterations` calls, one after the other. */
export async function timePerOpAsync(fn, iterations) {
  const start = cpuMicros();
  for (let i = 0; i < iterations; i++) await fn(i);
  return ((cpuMicros() - start) * 1000) / iterations;
}

/** Interquartile range over the median: unlike (max − min), it can shrink as rounds are added. */
export function spreadIqr(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.floor(q * (sorted.length - 1))];
  return (at(0.75) - at(0.25)) / median(values);
}

/** A valid session:processed event of about `size` bytes of JSON text (ASCII padding). */
export function eventText(size) {
  const base = { kind: 'session:processed', session_id: 'sess_12345abcdef', amount: 5000, status: 'success' };
  const padding = Math.max(0, size - JSON.stringify({ ...base, note: '' }).length);
  return JSON.stringify({ ...base, note: 'x'.repeat(padding) });
}
