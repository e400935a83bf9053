import { describe, expect, it } from 'vitest';
import { createKeyIndex, hashKey } from './key-index.js';

describe('createKeyIndex', () => {
  it('finds what was set, in its slot; nothing once deleted', () => {
    const index = createKeyIndex();
    index.set(3, 'delivery/msg_1', hashKey('delivery/msg_1'));
    expect(index.find('delivery/msg_1', hashKey('delivery/msg_1'))).toBe(3);
    expect(index.keyAt(3)).toBe('delivery/msg_1');
    expect(index.find('delivery/msg_2', hashKey('delivery/msg_2'))).toBe(-1);
    index.delete(3);
    expect(index.find('delivery/msg_1', hashKey('delivery/msg_1'))).toBe(-1);
    expect(index.keyAt(3)).toBeUndefined();
    expect(index.size).toBe(0);
  });

  it('agrees with a Map through colliding hashes, runs that wrap around the table, growth and deletions', () => {
    // Hashes from a handful of values, some at the table's end, so that most keys collide and
    // probe runs wrap: what backward-shift deletion must keep findable.
    const hashOf = (key: string) => [0, 1, 15, 31, 2 ** 30 - 1][hashKey(key) % 5] as number;
    const index = createKeyIndex();
    const reference = new Map<string, number>();
    const free = Array.from({ length: 200 }, (_, slot) => slot);
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = `k${random(300)}`;
      const slot = reference.get(key);
      if (slot === undefined && free.length > 0) {
        const taken = free.splice(random(free.length), 1)[0] as number;
        index.set(taken, key, hashOf(key));
        reference.set(key, taken);
      } else if (slot !== undefined) {
        index.delete(slot);
        reference.delete(key);
        free.push(slot);
      }
      const probe = `k${random(300)}`;
      expect(index.find(probe, hashOf(probe))).toBe(reference.get(probe) ?? -1);
      expect(index.size).toBe(reference.size);
    }
    for (const [key, slot] of reference) expect(index.find(key, hashOf(key))).toBe(slot);
  });

  it('hashes to a small integer, the same for the same text', () => {
    const key = ['session:processed', 'sess_1', 'success'].join('/');
    expect(hashKey(key)).toBe(hashKey('session:processed/sess_1/success'));
    expect(Number.isInteger(hashKey(key)) && hashKey(key) >= 0 && hashKey(key) < 2 ** 30).toBe(true);
    expect(hashKey('a')).not.toBe(hashKey('b'));
  });
});
