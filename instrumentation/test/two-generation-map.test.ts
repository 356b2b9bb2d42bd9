import { describe, expect, it } from 'vitest';
import { TwoGenerationMap } from '../src/messaging/two-generation-map.js';

const CAP = 5;

/** A map where `key` was added after `before` other keys, then `after` newer keys followed it. */
function withNewer(before: number, after: number): TwoGenerationMap<string, number> {
  const map = new TwoGenerationMap<string, number>(CAP);
  for (let i = 0; i < before; i++) map.set(`before-${i}`, i);
  map.set('key', 42);
  for (let i = 0; i < after; i++) map.set(`after-${i}`, i);
  return map;
}

// Wherever the key landed within its generation (first, middle, last slot, or after a rotation).
const positions = Array.from({ length: 2 * CAP }, (_, before) => before);

describe('TwoGenerationMap', () => {
  it.each(positions)('finds an entry after up to cap newer inserts (%i keys before it)', (before) => {
    for (let after = 0; after <= CAP; after++) expect(withNewer(before, after).get('key')).toBe(42);
  });

  it.each(positions)('forgets an entry after 2 × cap newer inserts (%i keys before it)', (before) => {
    expect(withNewer(before, 2 * CAP).get('key')).toBeUndefined();
  });

  it('deletes an entry that has moved to the previous generation', () => {
    const map = withNewer(0, CAP);
    expect(map.get('key')).toBe(42);
    expect(map.delete('key')).toBe(true);
    expect(map.get('key')).toBeUndefined();
    expect(map.delete('key')).toBe(false);
  });

  it('deletes an entry still in the current generation', () => {
    const map = withNewer(CAP, 1);
    expect(map.delete('key')).toBe(true);
    expect(map.get('key')).toBeUndefined();
  });

  it('returns the newest value of a key set again after a rotation, and deletes it for good', () => {
    const map = withNewer(0, CAP);
    map.set('key', 7);
    expect(map.get('key')).toBe(7);
    expect(map.delete('key')).toBe(true);
    // No older copy resurfaces from the previous generation.
    expect(map.get('key')).toBeUndefined();
  });

  it('keeps a key set again for cap more inserts from then on', () => {
    const map = withNewer(0, CAP);
    map.set('key', 7);
    for (let i = 0; i < CAP; i++) map.set(`later-${i}`, i);
    expect(map.get('key')).toBe(7);
  });

  it('returns a stored null rather than treating it as missing', () => {
    const map = new TwoGenerationMap<string, number | null>(CAP);
    map.set('key', null);
    expect(map.get('key')).toBeNull();
  });

  it('holds at most 2 × cap entries, and at least cap once that many were added', () => {
    const map = new TwoGenerationMap<number, number>(CAP);
    for (let i = 0; i < 20 * CAP; i++) {
      map.set(i, i);
      expect(map.size).toBeLessThanOrEqual(2 * CAP);
      expect(map.size).toBeGreaterThanOrEqual(Math.min(i + 1, CAP));
    }
  });

  it('does not drop a generation when an existing key is overwritten', () => {
    const map = withNewer(0, 2 * CAP - 1);
    // The current generation is full; overwriting one of its keys must not push `key` out.
    map.set(`after-${2 * CAP - 2}`, -1);
    expect(map.get('key')).toBe(42);
    expect(map.size).toBe(2 * CAP);
  });

  it('counts every entry once, whichever generation holds it', () => {
    const map = withNewer(0, CAP);
    map.set('key', 7);
    expect(map.size).toBe(CAP + 1);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a cap of %s', (cap) => {
    expect(() => new TwoGenerationMap(cap)).toThrow(RangeError);
  });
});
