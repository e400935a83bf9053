import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadlines } from './deadlines.js';

describe('Deadlines (the store bounds every wait in time)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('rejects a wait once its bound passed, within a tick, and never before', async () => {
    const deadlines = new Deadlines(1_000);
    const waiting = deadlines.bound(new Promise(() => {}), 1_000, 'MariaDB');
    const settled = vi.fn();
    waiting.catch(settled);
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50); // the tick: 1000 / 20
    expect(settled).toHaveBeenCalledWith(new Error('MariaDB did not answer within 1000 ms'));
  });

  it('answers what the wait answered, and fires nothing afterwards', async () => {
    const deadlines = new Deadlines(100);
    const expire = vi.fn();
    deadlines.cancel(deadlines.set(100, expire));
    await expect(deadlines.bound(Promise.resolve('done'), 100, 'x')).resolves.toBe('done');
    await expect(deadlines.bound(Promise.reject(new Error('broke')), 100, 'x')).rejects.toThrow('broke');
    await vi.advanceTimersByTimeAsync(500);
    expect(expire).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0); // the timer stops once nothing is pending
  });

  it('fires bounds of several lengths each in time, the cancelled ones never', async () => {
    const deadlines = new Deadlines(100);
    const fired: string[] = [];
    deadlines.set(300, () => fired.push('300'));
    const cancelled = deadlines.set(100, () => fired.push('cancelled'));
    deadlines.set(100, () => fired.push('100'));
    deadlines.cancel(cancelled);
    deadlines.cancel(cancelled); // again: nothing
    await vi.advanceTimersByTimeAsync(105);
    expect(fired).toEqual(['100']);
    await vi.advanceTimersByTimeAsync(200);
    expect(fired).toEqual(['100', '300']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
