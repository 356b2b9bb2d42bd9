import { describe, expect, it } from 'vitest';
import { type OffsetTimePoint, estimateProduceTime, recordEndOffset } from './lag-interpolation';

describe('estimateProduceTime', () => {
  // End offset 100 at t=0, 200 at t=10 s, 200 still at t=20 s, 300 at t=30 s.
  const table: OffsetTimePoint[] = [
    { endOffset: 100, tsMs: 0 },
    { endOffset: 200, tsMs: 10_000 },
    { endOffset: 200, tsMs: 20_000 },
    { endOffset: 300, tsMs: 30_000 },
  ];

  it('interpolates between the samples around the record', () => {
    // Record 149 appeared when the end went from 149 to 150: halfway between 100 and 200.
    expect(estimateProduceTime(table, 149)).toEqual({ tsMs: 5000, source: 'interpolated' });
    // Record 249 was written after the quiet spell: between 20 s and 30 s, not between 10 s and 30 s.
    expect(estimateProduceTime(table, 249)).toEqual({ tsMs: 25_000, source: 'interpolated' });
  });

  it('gives a lower bound for records older than the table', () => {
    expect(estimateProduceTime(table, 50)).toEqual({ tsMs: 0, source: 'lower-bound' });
  });

  it('has nothing for a record not produced yet', () => {
    expect(estimateProduceTime(table, 300)).toBeNull();
    expect(estimateProduceTime([], 0)).toBeNull();
  });
});

describe('recordEndOffset', () => {
  it('keeps the first and last time of each end offset only', () => {
    const table: OffsetTimePoint[] = [];
    for (const [endOffset, tsMs] of [
      [10, 0],
      [10, 1],
      [10, 2],
      [10, 3],
      [20, 4],
      [20, 5],
    ] as const) {
      recordEndOffset(table, { endOffset, tsMs });
    }
    expect(table).toEqual([
      { endOffset: 10, tsMs: 0 },
      { endOffset: 10, tsMs: 3 },
      { endOffset: 20, tsMs: 4 },
      { endOffset: 20, tsMs: 5 },
    ]);
  });

  it('starts over when the log end goes back (topic recreated)', () => {
    const table: OffsetTimePoint[] = [{ endOffset: 500, tsMs: 0 }];
    recordEndOffset(table, { endOffset: 3, tsMs: 1 });
    expect(table).toEqual([{ endOffset: 3, tsMs: 1 }]);
  });

  it('drops the oldest points beyond the cap', () => {
    const table: OffsetTimePoint[] = [];
    for (let i = 0; i < 10; i++) recordEndOffset(table, { endOffset: i, tsMs: i }, 4);
    expect(table.map((p) => p.endOffset)).toEqual([6, 7, 8, 9]);
  });
});
