import { describe, expect, it } from 'vitest';
import { fnv1a64Hex, pathwayHash } from '../src/pathway/hash.js';
import { formatPathway, parsePathway } from '../src/pathway/header.js';

const NOW = 1_800_000_000_000;

describe('pathway hash (FNV-1a 64, PATHWAY.md)', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    // From the FNV reference test suite (isthe.com/chongo/tech/comp/fnv).
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it('hashes parentHash|service|system|destination, and differs per route', () => {
    const origin = pathwayHash('', 'checkout', 'kafka', 'orders');
    expect(origin).toBe(fnv1a64Hex('|checkout|kafka|orders'));
    const next = pathwayHash(origin, 'billing', 'rabbitmq', 'payments');
    expect(next).toBe(fnv1a64Hex(`${origin}|billing|rabbitmq|payments`));
    expect(pathwayHash('', 'checkout', 'kafka', 'audit')).not.toBe(origin);
    // Cached: the same route gives the same value again.
    expect(pathwayHash('', 'checkout', 'kafka', 'orders')).toBe(origin);
  });

  it('hashes UTF-8 bytes, so non-ASCII names agree with other languages', () => {
    expect(fnv1a64Hex('é')).toBe(fnv1a64Hex('\u00e9'));
    expect(fnv1a64Hex('é')).not.toBe(fnv1a64Hex('e'));
  });
});

describe('pathway header', () => {
  const header = { hash: '0123456789abcdef', originMs: NOW - 5000, sendMs: NOW - 20, hops: 3 };

  it('round-trips', () => {
    const value = formatPathway(header);
    expect(value).toBe(`1:0123456789abcdef:${NOW - 5000}:${NOW - 20}:3`);
    expect(parsePathway(value, NOW)).toEqual(header);
  });

  it.each([
    ['unknown version', `2:0123456789abcdef:${NOW}:${NOW}:1`],
    ['too few fields', `1:0123456789abcdef:${NOW}:${NOW}`],
    ['too many fields', `1:0123456789abcdef:${NOW}:${NOW}:1:9`],
    ['uppercase hash', `1:0123456789ABCDEF:${NOW}:${NOW}:1`],
    ['short hash', `1:0123456789abcde:${NOW}:${NOW}:1`],
    ['negative time', `1:0123456789abcdef:-5:${NOW}:1`],
    ['fractional time', `1:0123456789abcdef:${NOW}.5:${NOW}:1`],
    ['16-digit time', `1:0123456789abcdef:1234567890123456:${NOW}:1`],
    ['zero hops', `1:0123456789abcdef:${NOW}:${NOW}:0`],
    ['huge hops', `1:0123456789abcdef:${NOW}:${NOW}:100000`],
    ['origin two days ahead', `1:0123456789abcdef:${NOW + 2 * 86_400_000}:${NOW}:1`],
    ['send two days ahead', `1:0123456789abcdef:${NOW}:${NOW + 2 * 86_400_000}:1`],
    ['spaces', ` 1:0123456789abcdef:${NOW}:${NOW}:1`],
    ['oversized', `1:0123456789abcdef:${NOW}:${NOW}:1${' '.repeat(10_000)}`],
    ['empty', ''],
    ['empty field', `1:0123456789abcdef::${NOW}:1`],
    ['empty hops', `1:0123456789abcdef:${NOW}:${NOW}:`],
    ['letters in hops', `1:0123456789abcdef:${NOW}:${NOW}:1a`],
    ['five-digit hops', `1:0123456789abcdef:${NOW}:${NOW}:10000`],
    ['long version', `10:0123456789abcdef:${NOW}:${NOW}:1`],
    ['hash too long', `1:0123456789abcdef0:${NOW}:${NOW}:1`],
  ])('ignores %s', (_what, value) => {
    expect(parsePathway(value, NOW)).toBeUndefined();
  });

  it.each([undefined, null, 42, {}, ['1:0123456789abcdef:1:1:1']])('ignores the non-string %j', (value) => {
    expect(parsePathway(value, NOW)).toBeUndefined();
  });

  it('accepts a send up to a day ahead (clock skew between hosts)', () => {
    expect(parsePathway(`1:0123456789abcdef:${NOW}:${NOW + 3_600_000}:1`, NOW)?.sendMs).toBe(NOW + 3_600_000);
  });
});
