/**
 * The pace of a reconcile run's retrieves: evenly spaced requests at an adaptive rate
 * (requests per second). A refusal (429, or a 503 with `Retry-After`) pauses every retrieve
 * for its `Retry-After` and cuts the rate below what Pasis accepted; successes bring it back
 * quickly to just under that, then probe upwards, slowly at first and faster the longer no
 * refusal comes, never past the ceiling.
 *
 * Why evenly spaced and not bursts: a provider counting a sliding second refuses a burst
 * whose requests arrive a little bunched; spacing keeps every second of its window under
 * the limit. Why "just under": a rate at the limit is refused whenever the network or
 * either side stalls for a moment, and each refusal costs a whole `Retry-After`.
 */
import { pause, type ReconcilerClock } from './clock.js';

/** The window a rate is counted over, as providers state it: one second. */
const WINDOW_MS = 1_000;
/** After a refusal, the rate goes to this share of what Pasis accepted. */
export const PACE_CUT = 0.85;
/** Successes bring the rate back quickly to this share of what Pasis accepted, and hold it. */
export const PACE_HOLD = 0.95;
/** Above the hold, the rate grows by this many requests per second, each second, at first… */
export const PACE_PROBE_PER_SECOND = 0.1;
/**
 * …and that growth doubles after each this many ms without a refusal. A lone instance near
 * its limit is then refused about every 40 s (measured with 5 s: refusals doubled, and a
 * drain at 100/s took 4-5% longer, a 1 s pause each); an instance of a fleet whose share was
 * small, once the others are done, is back near the whole limit in under a minute rather than
 * minutes (a fixed 0.1/s each second takes 3 min from 2/s to 20/s).
 */
export const PACE_PROBE_DOUBLING_MS = 10_000;
/** The growth doubles at most this many times (0.1 × 2^8 = 25.6 requests per second, each second). */
const MAX_PROBE_DOUBLINGS = 8;
/** The slowest pace: one request a second. */
export const PACE_FLOOR = 1;
/** The pause after a refusal that did not say how long (no `Retry-After`). */
export const PACE_DEFAULT_RETRY_AFTER_MS = 1_000;

/**
 * An adaptive pacer for one run. Not exported from the package.
 *
 * @example
 * const pacer = new Pacer(clock, 50); // at most 50 requests a second
 * await pacer.take(signal); const sentAt = clock.now(); // …retrieve…
 * pacer.accepted(); // or pacer.refused(sentAt, error.retryAfterMs)
 */
export class Pacer {
  readonly #clock: ReconcilerClock;
  readonly #ceiling: number;
  #rate: number;
  /** What Pasis accepted when it last refused (requests per second); unknown until then. */
  #limit: number | undefined;
  #nextAt = 0;
  #pausedUntil = 0;
  #cutAt = Number.NEGATIVE_INFINITY;
  /** When the window of acceptances last started afresh (start, or the end of a pause). */
  #countingSince: number;
  /** Times of the acceptances of the last window, oldest first (at most about a window's worth). */
  readonly #acceptedAt: number[] = [];
  #refusals = 0;

  /** `ceiling`: `maxRequestsPerSecond`, `Infinity` for none (concurrency alone bounds it). */
  constructor(clock: ReconcilerClock, ceiling = Number.POSITIVE_INFINITY) {
    this.#clock = clock;
    this.#ceiling = ceiling;
    this.#rate = ceiling;
    this.#countingSince = clock.now();
  }

  /** The current pace in requests per second (`Infinity` before the first refusal without a ceiling). */
  get rate(): number {
    return this.#rate;
  }

  /** Requests accepted in the last second: what an unpaced run achieves. */
  get acceptedLastSecond(): number {
    this.#forget(this.#clock.now());
    return this.#acceptedAt.length;
  }

  /** Requests refused so far. */
  get refusals(): number {
    return this.#refusals;
  }

  /** Until when every retrieve waits (ms since the epoch; in the past when none). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /**
   * Waits for this request's turn: the end of any pause, then its slot at the current rate.
   * Returns early (without a slot) when `signal` aborts; the caller checks it.
   */
  async take(signal: AbortSignal): Promise<void> {
    // Bounded: each pass either takes the slot or sleeps until the time it computed; a pause
    // or a slower rate set meanwhile only moves that time, and an abort ends the loop.
    for (;;) {
      if (signal.aborted) return;
      const now = this.#clock.now();
      const at = Math.max(this.#pausedUntil, this.#nextAt);
      if (at <= now) {
        const gap = Number.isFinite(this.#rate) ? WINDOW_MS / this.#rate : 0;
        // On schedule when late by less than a gap (a timer fires a millisecond or two late,
        // every time: counted from now, each slot would lose that, 10-20% of the pace); from
        // now after a longer stall, so that a stall is never followed by a burst.
        this.#nextAt = now - this.#nextAt > gap ? now + gap : this.#nextAt + gap;
        return;
      }
      await pause(this.#clock, at - now, signal);
    }
  }

  /** Pauses every retrieve for `ms` (a 5xx's backoff, or a `Retry-After`). */
  pause(ms: number): void {
    const until = this.#clock.now() + ms;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    this.#countingSince = until;
  }

  /** Pasis answered a request (anything but a refusal): counts it and grows the rate. */
  accepted(): void {
    const now = this.#clock.now();
    this.#acceptedAt.push(now);
    this.#forget(now);
    if (this.#limit === undefined) return; // at the ceiling already, or unpaced
    const hold = Math.min(this.#ceiling, PACE_HOLD * this.#limit);
    // Below the hold: +1 per success, about doubling each second (a slow start). Above it: a
    // probe, in case the limit was raised, a refusal was a blip, or other instances spending
    // the same limit are done: PACE_PROBE_PER_SECOND each second (a success is 1/rate of a
    // second), doubling each PACE_PROBE_DOUBLING_MS since the last cut.
    if (this.#rate < hold) {
      this.#rate = Math.min(hold, this.#rate + 1);
      return;
    }
    const doublings = Math.min(MAX_PROBE_DOUBLINGS, Math.floor((now - this.#cutAt) / PACE_PROBE_DOUBLING_MS));
    this.#rate = Math.min(this.#ceiling, this.#rate + (PACE_PROBE_PER_SECOND * 2 ** doublings) / this.#rate);
  }

  /**
   * Pasis refused the request sent at `sentAt`: pause for `retryAfterMs`, and unless the rate
   * was already cut after that request left, cut it below what Pasis accepted.
   */
  refused(sentAt: number, retryAfterMs: number | undefined): void {
    const now = this.#clock.now();
    this.#refusals++;
    const fullWindow = now - this.#countingSince >= WINDOW_MS;
    if (sentAt >= this.#cutAt) {
      this.#forget(now);
      const accepted = this.#acceptedAt.length;
      // Accepted in the last second is what Pasis allows us, if we counted a whole second;
      // before the first cut (unpaced) it is all there is to go by.
      let observed = this.#rate;
      if (fullWindow || !Number.isFinite(observed)) observed = Math.min(observed, accepted);
      observed = Math.max(PACE_FLOOR, observed);
      // A refusal at a lower rate than the last one moves the estimate halfway down: a blip
      // at a good rate must not ratchet the pace down run after run; a real drop needs a few.
      const last = this.#limit;
      this.#limit = last === undefined || observed >= last ? observed : (last + observed) / 2;
      this.#rate = Math.max(PACE_FLOOR, Math.min(this.#ceiling, PACE_CUT * this.#limit));
      this.#cutAt = now;
    }
    this.pause(retryAfterMs ?? PACE_DEFAULT_RETRY_AFTER_MS);
  }

  #forget(now: number): void {
    const from = now - WINDOW_MS;
    let old = 0;
    while (old < this.#acceptedAt.length && (this.#acceptedAt[old] as number) <= from) old++;
    if (old > 0) this.#acceptedAt.splice(0, old);
  }
}
