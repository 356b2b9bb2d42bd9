import { describe, expect, it } from 'vitest';
import type { GroupReading } from '@/lib/brokers/lag-types';
import {
  compareForAttention,
  evaluateGroup,
  groupSeriesFromSamples,
  readingToSamples,
  unreachableGroup,
} from './evaluate';
import { DEFAULT_THRESHOLDS } from './status';
import type { LagSample } from './types';

const T = 1_700_000_000_000;

function reading(lags: [number, number | null][], consumers: number | null = 1): GroupReading {
  return {
    system: 'kafka',
    group: 'audit',
    destination: 'orders',
    consumers,
    partitions: lags.map(([lagMessages, lagSeconds], i) => ({
      partition: String(i),
      lagMessages,
      lagSeconds,
      lagSecondsSource: lagSeconds === null ? 'none' : 'message-timestamp',
      position: 100 + i,
      endPosition: 100 + i + lagMessages,
    })),
    details: { state: 'Stable' },
  };
}

describe('evaluateGroup', () => {
  it('sums partitions, takes the oldest age and the worst partition status', () => {
    const samples: LagSample[] = [];
    // Partition 1 is stuck (same position, lag) for 3 polls 60 s apart; partition 0 is caught up.
    for (let i = 0; i < 3; i++)
      samples.push(
        ...readingToSamples(
          reading([
            [0, 0],
            [7, 30 + i * 60],
          ]),
          T + i * 60_000,
        ),
      );
    const nowMs = T + 120_000;
    const group = evaluateGroup(
      reading([
        [0, 0],
        [7, 150],
      ]),
      samples,
      {
        nowMs,
        broker: 'k:9092',
        thresholds: DEFAULT_THRESHOLDS,
      },
    );
    expect(group).toMatchObject({
      lagMessages: 7,
      lagSeconds: 150,
      lagSecondsSource: 'message-timestamp',
      status: 'STALL',
      statusReason: 'partition 1: no progress for 2m with 7 waiting, 1 consumer(s) attached',
      trend: { direction: 'flat', messagesPerSecond: 0 },
      etaSeconds: null,
      readAt: new Date(nowMs).toISOString(),
    });
    expect(group.partitions.map((p) => p.status)).toEqual(['OK', 'STALL']);
  });

  it('computes the trend and ETA over the summed lag', () => {
    const samples = [0, 1, 2, 3].flatMap((i) =>
      readingToSamples(
        reading([
          [60 - i * 10, 5],
          [40 - i * 10, 5],
        ]),
        T + i * 10_000,
      ),
    );
    const group = evaluateGroup(
      reading([
        [30, 5],
        [10, 5],
      ]),
      samples,
      {
        nowMs: T + 30_000,
        broker: 'k',
        thresholds: DEFAULT_THRESHOLDS,
      },
    );
    expect(group.trend).toEqual({ direction: 'shrinking', messagesPerSecond: -2 });
    expect(group.etaSeconds).toBe(20);
    expect(group.status).toBe('OK');
  });
});

it('groupSeriesFromSamples sums per poll and keeps the oldest age', () => {
  const samples = [
    ...readingToSamples(
      reading([
        [1, 2],
        [3, null],
      ]),
      T,
    ),
    ...readingToSamples(
      reading([
        [4, 1],
        [0, 0],
      ]),
      T + 1000,
    ),
  ];
  expect(groupSeriesFromSamples(samples)).toEqual([
    { tsMs: T, lagMessages: 4, lagSeconds: 2 },
    { tsMs: T + 1000, lagMessages: 4, lagSeconds: 1 },
  ]);
});

it('unreachableGroup keeps the last figures, marks ERR and says how old they are', () => {
  const group = evaluateGroup(reading([[5, 1]]), [], {
    nowMs: T,
    broker: 'k',
    thresholds: DEFAULT_THRESHOLDS,
  });
  const stale = unreachableGroup(group, 'connect ECONNREFUSED', T + 90_000);
  expect(stale).toMatchObject({ status: 'ERR', lagMessages: 5, etaSeconds: null, readAt: group.readAt });
  expect(stale.statusReason).toBe('broker not readable (connect ECONNREFUSED); figures are from 1m 30s ago');
});

it('compareForAttention puts the worst status first, then the oldest message', () => {
  const base = evaluateGroup(reading([[5, 1]]), [], {
    nowMs: T,
    broker: 'k',
    thresholds: DEFAULT_THRESHOLDS,
  });
  const rows = [
    { ...base, group: 'a', status: 'OK' as const, lagSeconds: 900 },
    { ...base, group: 'b', status: 'STOP' as const, lagSeconds: 1 },
    { ...base, group: 'c', status: 'OK' as const, lagSeconds: 1000 },
  ];
  expect(rows.sort(compareForAttention).map((g) => g.group)).toEqual(['b', 'c', 'a']);
});
