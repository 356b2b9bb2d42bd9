import { describe, expect, it } from 'vitest';
import { ByteKeySet, ByteStringCache } from './byte-strings';

const bytes = (s: string) => Buffer.from(s, 'utf8');
/** `s` at an offset inside a larger buffer, as the decoder sees it. */
function embedded(s: string): [Buffer, number, number] {
  const b = Buffer.concat([bytes('\u0000xx'), bytes(s), bytes('yy')]);
  return [b, 3, 3 + Buffer.byteLength(s)];
}

describe('ByteKeySet', () => {
  const keys = ['messaging.system', 'messaging.destination.name', 'messaging.destination', 'service.name'];
  const set = new ByteKeySet(keys.map((k, i) => [k, i * 10] as const));

  it('finds every key by its bytes anywhere in a buffer', () => {
    keys.forEach((key, index) => {
      expect(set.find(...embedded(key))).toBe(index);
      expect(set.strings[index]).toBe(key);
      expect(set.payloads[index]).toBe(index * 10);
    });
  });

  it('does not match near misses: same length, prefixes, extensions, empty', () => {
    for (const miss of ['messaging.systen', 'messaging.syste', 'messaging.systems', 'Messaging.system', '']) {
      expect(set.find(...embedded(miss))).toBe(-1);
    }
  });

  it('refuses duplicate keys', () => {
    expect(() => new ByteKeySet([['a', 1] as const, ['a', 2] as const])).toThrow(/duplicate/);
  });
});

describe('ByteStringCache', () => {
  it('decodes like Buffer#toString, including invalid UTF-8 and multi-byte text', () => {
    const cache = new ByteStringCache(16);
    for (const b of [bytes('orders'), bytes('zürich-é-日本'), Buffer.from([0x66, 0xff, 0xfe, 0x6f])]) {
      expect(cache.get(b, 0, b.length)).toBe(b.toString('utf8'));
      expect(cache.get(b, 0, b.length)).toBe(b.toString('utf8')); // from the cache
    }
  });

  it('stays correct when more distinct values arrive than it has slots', () => {
    const cache = new ByteStringCache(8);
    const values = Array.from({ length: 500 }, (_, i) => `destination-${i}`);
    for (let round = 0; round < 3; round++) {
      for (const v of values) expect(cache.get(...embedded(v))).toBe(v);
    }
  });

  it('does not cache strings longer than its limit, and keeps no view of the request buffer', () => {
    const cache = new ByteStringCache(8, 4);
    expect(cache.get(...embedded('longer than four'))).toBe('longer than four');
    const [buf, start, end] = embedded('abc');
    expect(cache.get(buf, start, end)).toBe('abc');
    buf.fill(0x7a); // the request body is reused or freed after decoding
    const [again, s2, e2] = embedded('abc');
    expect(cache.get(again, s2, e2)).toBe('abc');
  });
});
