// The route's one timer must cut off exactly the bodies a timer per body would have: those
// still arriving (unanswered, not ended) at their own deadline, each once, whatever settled
// around them. Fake timers and a fake clock: nothing here depends on the machine's speed.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ArrivingBody, createArrivalWatch } from './arrival-watch.js';

class Body implements ArrivingBody {
  readonly reply = { sent: false };
  readonly payload: EventEmitter & { readableEnded: boolean; name: string };
  constructor(name: string) {
    this.payload = Object.assign(new EventEmitter(), { readableEnded: false, name });
  }
  end() {
    this.payload.readableEnded = true;
  }
  answer() {
    this.reply.sent = true;
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function watcher(timeoutMs: number) {
  const late: string[] = [];
  const watch = createArrivalWatch(
    timeoutMs,
    (body) => late.push((body.payload as Body['payload']).name),
    Date.now,
  );
  return { late, watch };
}

describe('createArrivalWatch', () => {
  it('reports a stalled body at its own deadline, never one that ended or was answered', () => {
    const { late, watch } = watcher(1000);
    const [a, b, c] = [new Body('a'), new Body('b'), new Body('c')];
    watch(a);
    vi.advanceTimersByTime(300);
    watch(b);
    vi.advanceTimersByTime(300);
    watch(c);
    a.end();
    c.answer();
    vi.advanceTimersByTime(399); // 999 ms after a, 699 after b
    expect(late).toEqual([]);
    vi.advanceTimersByTime(301); // 1,000 after b
    expect(late).toEqual(['b']);
    vi.advanceTimersByTime(10_000);
    expect(late).toEqual(['b']); // once only
  });

  it('reports each of several stalled bodies at its deadline, in order', () => {
    const { late, watch } = watcher(100);
    const bodies = Array.from({ length: 5 }, (_, i) => new Body(`b${i}`));
    for (const body of bodies) {
      watch(body);
      vi.advanceTimersByTime(10);
    }
    bodies[1]?.end();
    bodies[3]?.answer();
    vi.advanceTimersByTime(60); // b0 reaches 100 ms
    expect(late).toEqual(['b0']);
    vi.advanceTimersByTime(20); // b2 at 100 ms
    expect(late).toEqual(['b0', 'b2']);
    vi.advanceTimersByTime(20);
    expect(late).toEqual(['b0', 'b2', 'b4']);
  });

  it('finds a stalled body behind thousands of settled ones, and keeps watching later ones', () => {
    const { late, watch } = watcher(1000);
    const stalled = new Body('stalled');
    watch(stalled);
    for (let i = 0; i < 5000; i++) {
      const body = new Body(`ok${i}`);
      watch(body);
      body.end();
    }
    const later = new Body('later');
    vi.advanceTimersByTime(500);
    watch(later);
    vi.advanceTimersByTime(500);
    expect(late).toEqual(['stalled']);
    vi.advanceTimersByTime(500);
    expect(late).toEqual(['stalled', 'later']);
  });

  // The queue moves its unreported bodies to the front once most of it is behind the head:
  // each keeps its own deadline (kept beside it) through the move.
  it('keeps each deadline when the queue is moved up past thousands of reported bodies', () => {
    const { late, watch } = watcher(100);
    for (let i = 0; i < 2000; i++) {
      watch(new Body(`b${i}`));
      if (i % 100 === 99) vi.advanceTimersByTime(1); // 20 arrival times, 1 ms apart
    }
    vi.advanceTimersByTime(94); // now 114 ms: b0-b1499 reported (deadlines 100-114 ms)
    expect(late).toHaveLength(1500);
    watch(new Body('last')); // moves b1500-b1999 to the front
    vi.advanceTimersByTime(4);
    expect(late.slice(1500)).toEqual(Array.from({ length: 400 }, (_, i) => `b${1500 + i}`));
    vi.advanceTimersByTime(1);
    expect(late).toHaveLength(2000);
    vi.advanceTimersByTime(95);
    expect(late.at(-1)).toBe('last');
  });

  it('starts again once everything settled and the timer stopped', () => {
    const { late, watch } = watcher(50);
    const first = new Body('first');
    watch(first);
    first.end();
    vi.advanceTimersByTime(1000);
    const second = new Body('second');
    watch(second);
    vi.advanceTimersByTime(49);
    expect(late).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(late).toEqual(['second']);
  });
});
