/**
 * The pacer on a fake clock: the slots it hands out, how a refusal cuts the pace and pauses
 * it, and how successes bring it back, never past the ceiling.
 */
import { describe, expect, it } from 'vitest';
import { PACE_CUT, PACE_FLOOR, PACE_HOLD, PACE_PROBE_DOUBLING_MS, Pacer } from './pacer.js';
import { createFakeClock, type FakeClock } from './test-support/fake-clock.js';

const live = new AbortController().signal;

/** Takes `n` slots one after another, moving the clock to each; returns their times. */
async function slots(clock: FakeClock, pacer: Pacer, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    let taken = false;
    const take = pacer.take(live).then(() => (taken = true));
    // Bounded: a slot is at most a pause plus one gap away, moved through 1 ms at a time.
    for (let step = 0; step < 100_000 && !taken; step++) {
      await Promise.resolve();
      await Promise.resolve();
      if (!taken) clock.advance(1);
    }
    await take;
    times.push(clock.now());
  }
  return times;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('Pacer', () => {
  it('without a ceiling and before any refusal, hands out every slot at once', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock);
    const start = clock.now();
    expect(await slots(clock, pacer, 50)).toEqual(Array.from({ length: 50 }, () => start));
    expect(pacer.rate).toBe(Number.POSITIVE_INFINITY);
  });

  it('spaces slots evenly at the ceiling, and never bursts to catch up after a stall', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock, 50);
    expect(gaps(await slots(clock, pacer, 6))).toEqual([20, 20, 20, 20, 20]);
    clock.advance(500); // nobody asked for half a second
    const after = await slots(clock, pacer, 3);
    expect(gaps(after)).toEqual([20, 20]);
  });

  it('a slot taken a little late keeps the schedule: timers firing late must not slow the pace', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock, 50);
    const start = clock.now();
    await pacer.take(live); // slot 0 at start; the next at +20
    clock.advance(23); // 3 ms late, as a timer may be
    await pacer.take(live);
    clock.advance(17); // exactly on the schedule kept: +40
    let taken = false;
    const third = pacer.take(live).then(() => (taken = true));
    await Promise.resolve();
    expect(taken).toBe(true);
    await third;
    expect(clock.now()).toBe(start + 40);
  });

  it('a refusal pauses for Retry-After and cuts the pace below what was accepted', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock, 100);
    for (let i = 0; i < 150; i++) {
      await slots(clock, pacer, 1);
      pacer.accepted();
    }
    // 1.5 s at 100/s: the last second held 100 acceptances (with the one at its edge out).
    const sentAt = clock.now();
    pacer.refused(sentAt, 2_000);
    expect(pacer.rate).toBeCloseTo(PACE_CUT * 100, 5);
    expect(pacer.pausedUntil).toBe(sentAt + 2_000);
    const [first] = await slots(clock, pacer, 1);
    expect(first).toBe(sentAt + 2_000);
    // Other refusals of requests sent before the cut pause but do not cut again.
    pacer.refused(sentAt - 5, 1_000);
    expect(pacer.rate).toBeCloseTo(PACE_CUT * 100, 5);
    expect(pacer.refusals).toBe(2);
  });

  it('unpaced, the first refusal sets the pace from what was accepted in the last second', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock);
    for (let i = 0; i < 40; i++) pacer.accepted(); // 40 at once, then a refusal
    pacer.refused(clock.now(), undefined);
    expect(pacer.rate).toBeCloseTo(PACE_CUT * 40, 5);
    expect(pacer.pausedUntil).toBe(clock.now() + 1_000); // no Retry-After: a second
  });

  it('successes bring the pace back to just under the refused rate, then probe slowly', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock);
    for (let i = 0; i < 80; i++) pacer.accepted();
    pacer.refused(clock.now(), 1_000);
    expect(pacer.rate).toBeCloseTo(68, 5);
    clock.advance(1_000);
    for (let i = 0; i < 7; i++) pacer.accepted();
    expect(pacer.rate).toBeCloseTo(75, 5); // +1 per success…
    pacer.accepted();
    expect(pacer.rate).toBeCloseTo(PACE_HOLD * 80, 5); // …up to the hold
    for (let i = 0; i < 76; i++) pacer.accepted(); // about a second at the hold
    expect(pacer.rate).toBeGreaterThan(PACE_HOLD * 80);
    expect(pacer.rate).toBeLessThan(PACE_HOLD * 80 + 0.2);
  });

  it('the probe grows faster the longer no refusal comes: a small share of a shared limit is not kept for minutes', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock);
    for (let i = 0; i < 2; i++) pacer.accepted(); // a fleet's third of a small limit
    pacer.refused(clock.now(), 1_000);
    /** A second at the current pace, every request accepted; answers the pace after it. */
    const second = () => {
      const n = Math.ceil(pacer.rate);
      for (let i = 0; i < n; i++) {
        clock.advance(Math.floor(1_000 / n));
        pacer.accepted();
      }
      return pacer.rate;
    };
    clock.advance(1_000);
    const paces = Array.from({ length: 70 }, second);
    // Each window of PACE_PROBE_DOUBLING_MS grows about twice as much as the one before.
    const windows = PACE_PROBE_DOUBLING_MS / 1_000;
    const growth = (k: number) => paces[(k + 1) * windows]! - paces[k * windows]!;
    expect(growth(2)).toBeGreaterThan(1.5 * growth(1));
    expect(growth(4)).toBeGreaterThan(1.5 * growth(3));
    // From 2/s to well past 20/s within 70 s (a fixed 0.1/s each second would be at ~9/s).
    expect(paces.at(-1)).toBeGreaterThan(20);
    // A refusal starts the probe slowly again: back at the hold in a second, then barely growing.
    const before = pacer.rate;
    pacer.refused(clock.now(), 1_000);
    clock.advance(1_000);
    const atHold = second();
    for (let i = 0; i < 3; i++) second();
    expect(atHold).toBeLessThan(before);
    expect(pacer.rate - atHold).toBeLessThan(0.5);
  });

  it('a refusal at a lower rate moves the estimate only halfway down; never below the floor', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock);
    for (let i = 0; i < 100; i++) pacer.accepted();
    pacer.refused(clock.now(), 1_000); // estimate 100
    clock.advance(2_500); // a whole second counted since the pause ended, with nothing accepted
    pacer.refused(clock.now(), 1_000); // what was accepted: floor → estimate (100 + 1) / 2
    expect(pacer.rate).toBeCloseTo(PACE_CUT * 50.5, 5);
    const lonely = new Pacer(clock);
    lonely.refused(clock.now(), 1_000); // refused before anything was accepted
    expect(lonely.rate).toBe(PACE_FLOOR);
  });

  it('never grows past the ceiling', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock, 10);
    for (let i = 0; i < 10; i++) pacer.accepted();
    pacer.refused(clock.now(), 1_000);
    for (let i = 0; i < 10_000; i++) pacer.accepted();
    expect(pacer.rate).toBeLessThanOrEqual(10);
  });

  it('a waiting take returns when the signal aborts', async () => {
    const clock = createFakeClock();
    const pacer = new Pacer(clock, 1);
    pacer.pause(60_000);
    const controller = new AbortController();
    const waiting = pacer.take(controller.signal);
    controller.abort();
    await waiting; // would hang on the fake clock otherwise
    expect(clock.pending()).toBe(0);
  });
});
