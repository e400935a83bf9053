/**
 * The longest delay `setTimeout` takes, 2^31 - 1 ms (~24.8 days): it silently turns a longer
 * one into 1 ms, so every timing option is refused past it instead.
 *
 * @example
 * if (ms > MAX_TIMER_MS) throw configError('@pasis/sql', `leaseMs must be at most ${MAX_TIMER_MS}.`);
 */
export const MAX_TIMER_MS = 2_147_483_647;
