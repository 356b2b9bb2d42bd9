import { expect, it } from 'vitest';
import { MemoryLagHistory } from './memory-history';
import type { LagSample } from './types';

const key = { system: 'kafka' as const, group: 'g', destination: 't' };
const sample = (
  tsMs: number,
  partition: string,
  lagMessages: number,
  lagSeconds: number | null = null,
): LagSample => ({
  ...key,
  tsMs,
  partition,
  lagMessages,
  lagSeconds,
  position: null,
  endPosition: null,
  consumers: 1,
});

it('answers samples, group and partition series, and prunes', async () => {
  const history = new MemoryLagHistory();
  await history.append([
    sample(1000, '0', 1, 2),
    sample(1000, '1', 2, 5),
    sample(2000, '0', 3),
    sample(2000, '1', 4),
    sample(11_000, '0', 1),
  ]);
  expect((await history.samples({ sinceMs: 0, untilMs: 2000 })).length).toBe(2);
  const groups = await history.groupSeries({ sinceMs: 0, untilMs: 20_000, stepMs: 10_000 });
  // Polls at 1 s (3) and 2 s (7) share the first bucket: its worst poll is kept, stamped with its last poll.
  expect(groups.get('kafka|t|g')?.points).toEqual([
    { tsMs: 2000, lagMessages: 7, lagSeconds: 5 },
    { tsMs: 11_000, lagMessages: 1, lagSeconds: null },
  ]);
  const partitions = await history.partitionSeries({ key, sinceMs: 0, untilMs: 20_000, stepMs: 1 });
  expect(partitions.get('1')?.map((p) => p.lagMessages)).toEqual([2, 4]);
  expect(await history.prune(2000)).toBe(2);
  expect((await history.samples({ sinceMs: 0, untilMs: 20_000 })).length).toBe(3);
});

it('drops samples older than its memory bound', async () => {
  const history = new MemoryLagHistory(5000);
  await history.append([sample(0, '0', 1), sample(10_000, '0', 2)]);
  expect((await history.samples({ sinceMs: 0, untilMs: 20_000 })).map((s) => s.tsMs)).toEqual([10_000]);
});
