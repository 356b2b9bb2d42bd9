import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { traceKey } from './keys';

/** The definition the stored keys were written with: the first 8 hex digits, parsed, as int32. */
const reference = (hex: string) => parseInt(hex.slice(0, 8), 16) | 0;

describe('traceKey', () => {
  it('equals the first 8 hex digits as a signed 32-bit integer, for any trace id', () => {
    for (let i = 0; i < 2000; i++) {
      const id = randomBytes(16).toString('hex');
      expect(traceKey(id)).toBe(reference(id));
      expect(traceKey(id.toUpperCase())).toBe(reference(id));
    }
    expect(traceKey('ffffffff00000000ffffffff00000000')).toBe(-1);
    expect(traceKey('80000000aaaaaaaaaaaaaaaaaaaaaaaa')).toBe(-2147483648);
  });

  it('reads ids that are not 8 hex digits the way it always has (user input in journey lookups)', () => {
    for (const odd of ['', 'abc', '12zz5678', 'zzzzzzzz', 'é1234567', '0x123456']) {
      expect(traceKey(odd)).toBe(reference(odd));
    }
  });
});
