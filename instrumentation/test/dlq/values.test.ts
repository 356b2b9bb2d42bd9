import { describe, expect, it } from 'vitest';
import { count, int64, text, time, traceparent } from '../../src/dlq/values.js';

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
};

describe('raw header value readers', () => {
  it('read integers written as big-endian binary (Spring Kafka) or as text', () => {
    expect(int64(int32(7))).toBe('7');
    expect(int64(long(9_007_199_254_740_993n))).toBe('9007199254740993');
    expect(int64(Buffer.from('42'))).toBe('42');
    expect(int64('  17 ')).toBe('17');
    expect(int64(12)).toBe('12');
    expect(int64({ '!': 'long', value: 5 })).toBe('5');
    expect(count(int32(-1))).toBeNull();
    expect(int64(Buffer.from([1, 2, 3]))).toBeNull();
    expect(int64('99999999999999999999')).toBeNull();
    expect(int64(1.5)).toBeNull();
  });

  it('read the last value of a repeated Kafka header', () => {
    expect(text([Buffer.from('first'), Buffer.from('second')])).toBe('second');
    expect(text([])).toBeNull();
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(text(cyclic)).toBeNull();
  });

  it('read times in seconds, milliseconds, nanoseconds, ISO, binary and NServiceBus format', () => {
    const iso = '2026-11-21T10:00:00.000Z';
    const ms = Date.parse(iso);
    expect(time({ '!': 'timestamp', value: ms / 1000 })).toBe(iso);
    expect(time(ms)).toBe(iso);
    expect(time(String(ms))).toBe(iso);
    expect(time(long(BigInt(ms)))).toBe(iso);
    expect(time(BigInt(ms) * 1_000_000n)).toBe(iso);
    expect(time(new Date(ms))).toBe(iso);
    expect(time('2026-11-21T10:00:00.000000123Z')).toBe(iso);
    expect(time('2026-11-21 10:00:00:000123 Z')).toBe(iso);
    expect(time('yesterday')).toBeNull();
    expect(time(0)).toBeNull();
    expect(time(Number.MAX_SAFE_INTEGER)).toBeNull();
  });

  it('strip control characters and bound text', () => {
    expect(text('a\u0000b\u0007c\nd')).toBe('abc\nd');
    expect(text('x'.repeat(5000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(text(Buffer.alloc(1_000_000, 0x41), 8)).toBe('AAAAAAA…');
    expect(text('   ')).toBeNull();
    expect(text({ toString: () => 'sneaky' })).toBeNull();
  });

  it('accept only valid W3C traceparents', () => {
    const valid = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(traceparent(valid.toUpperCase())).toBe(valid);
    expect(traceparent(Buffer.from(valid))).toBe(valid);
    expect(traceparent('00-00000000000000000000000000000000-b7ad6b7169203331-01')).toBeNull();
    expect(traceparent('ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toBeNull();
    expect(traceparent('garbage')).toBeNull();
  });
});
