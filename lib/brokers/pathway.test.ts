import { expect, it } from 'vitest';
import { parsePathway } from './pathway';

const NOW = 1_700_000_000_000;

it('reads a v1 header from a string or a Buffer', () => {
  const value = `1:0123456789abcdef:${NOW - 5000}:${NOW - 1000}:2`;
  const expected = { hash: '0123456789abcdef', originMs: NOW - 5000, sendMs: NOW - 1000, hops: 2 };
  expect(parsePathway(value, NOW)).toEqual(expected);
  expect(parsePathway(Buffer.from(value), NOW)).toEqual(expected);
});

it('ignores anything else instead of throwing', () => {
  for (const bad of [
    undefined,
    42,
    '',
    `2:0123456789abcdef:${NOW}:${NOW}:1`, // another version
    `1:0123456789ABCDEF:${NOW}:${NOW}:1`, // uppercase hash
    `1:0123456789abcdef:${NOW}:${NOW}`, // missing field
    `1:0123456789abcdef:${NOW}:-5:1`, // not digits
    `1:0123456789abcdef:${NOW}:${NOW + 2 * 86_400_000}:1`, // two days in the future
    `1:0123456789abcdef:${NOW}:${NOW}:0`, // hops start at 1
    `1:0123456789abcdef:${NOW}:${NOW}:1${' '.repeat(100)}`,
  ]) {
    expect(parsePathway(bad, NOW)).toBeNull();
  }
});
