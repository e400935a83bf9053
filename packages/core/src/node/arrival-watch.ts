/**
 * The Fastify webhook route's bound on how long a body may take to arrive, with one timer per
 * route instead of one per delivery: a timer per request (set, unref, an 'end' listener,
 * cleared) measured ~3 µs of the hot path (see dedupe/lease-renewer.ts). Every body of a route
 * gets the same bound, so deadlines fall in arrival order: a queue whose head holds the next
 * deadline, and one timer armed for it. Internal to `@pasis/core/node`.
 */
import type { EventEmitter } from 'node:events';

/** A body being read: its reply, and the stream it arrives on. */
export interface ArrivingBody {
  readonly reply: { readonly sent: boolean };
  readonly payload: EventEmitter & { readonly readableEnded?: boolean };
}

// Past this many bodies in the queue, the settled ones behind an unsettled head are dropped,
// so that one stalled body does not keep every later request in memory until its deadline.
const COMPACT_AT = 1024;

/** Settled: answered, or its body fully arrived. Nothing is cut off after either. */
const settled = (w: ArrivingBody) => w.reply.sent || w.payload.readableEnded === true;

/**
 * Watches bodies from their headers on: `late(body)` is called for each one still unsettled
 * `timeoutMs` after it was watched (at that time, within the timer's millisecond), once. A
 * body is settled once its reply was sent or its payload ended. `now` is a monotonic clock in
 * milliseconds.
 *
 * @example
 * const watch = createArrivalWatch(10_000, (body) => body.payload.emit('error', timeoutError));
 * watch({ reply, payload }); // in the route's preParsing hook
 */
export function createArrivalWatch(
  timeoutMs: number,
  late: (body: ArrivingBody) => void,
  now: () => number = () => performance.now(),
): (body: ArrivingBody) => void {
  // The bodies as given, and their deadlines beside them (numbers in an array of doubles):
  // no object of ours per watched body.
  let queue: (ArrivingBody | undefined)[] = [];
  let deadlines: number[] = [];
  let head = 0;
  let compactAt = COMPACT_AT;
  // Armed exactly while the queue may hold a body; when unset, the queue is empty.
  let timer: NodeJS.Timeout | undefined;

  const arm = (delayMs: number) => {
    timer = setTimeout(tick, Math.max(1, Math.ceil(delayMs)));
    timer.unref(); // a server keeps the process up; this timer must not
  };
  const clear = () => {
    queue.length = 0;
    deadlines.length = 0;
    head = 0;
  };
  /** Keeps the bodies from `head` on that `keep` accepts, in order. */
  const compact = (keep: (body: ArrivingBody) => boolean) => {
    const bodies: ArrivingBody[] = [];
    const times: number[] = [];
    for (let i = head; i < queue.length; i++) {
      const body = queue[i] as ArrivingBody;
      if (!keep(body)) continue;
      bodies.push(body);
      times.push(deadlines[i] as number);
    }
    queue = bodies;
    deadlines = times;
    head = 0;
  };

  function tick() {
    timer = undefined;
    const at = now();
    while (head < queue.length) {
      const watched = queue[head] as ArrivingBody;
      if (!settled(watched)) {
        const deadline = deadlines[head] as number;
        if (deadline > at) return arm(deadline - at);
        late(watched);
      }
      queue[head++] = undefined;
    }
    clear();
  }

  return function watch(body: ArrivingBody): void {
    // Settled bodies leave from the head as later ones arrive: the queue stays as short as
    // the number of bodies in flight.
    while (head < queue.length && settled(queue[head] as ArrivingBody)) queue[head++] = undefined;
    if (head === queue.length) clear();
    else if (queue.length - head >= compactAt) {
      compact((w) => !settled(w));
      compactAt = Math.max(COMPACT_AT, 2 * queue.length);
    } else if (head >= COMPACT_AT && head * 2 >= queue.length) compact(() => true);
    queue.push(body);
    deadlines.push(now() + timeoutMs);
    if (timer === undefined) arm(timeoutMs);
  };
}
