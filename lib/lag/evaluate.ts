import { type GroupReading, groupTotals } from '@/lib/brokers/lag-types';
import { formatDurationSeconds } from './format-duration';
import { type StatusThresholds, evaluatePartition } from './status';
import { etaSeconds, lagTrend } from './trend';
import {
  type GroupLag,
  type GroupSeriesPoint,
  type LagSample,
  type PartitionLag,
  STATUS_SEVERITY,
} from './types';

/** A reading's rows of history, stamped with the poll time. */
export function readingToSamples(reading: GroupReading, tsMs: number): LagSample[] {
  return reading.partitions.map((p) => ({
    tsMs,
    system: reading.system,
    group: reading.group,
    destination: reading.destination,
    partition: p.partition,
    lagMessages: p.lagMessages,
    lagSeconds: p.lagSeconds,
    position: p.position,
    endPosition: p.endPosition,
    consumers: reading.consumers,
  }));
}

/** Partition samples summed per poll: the group's lag over time. */
export function groupSeriesFromSamples(samples: readonly LagSample[]): GroupSeriesPoint[] {
  const polls = new Map<number, GroupSeriesPoint>();
  for (const s of samples) {
    const point = polls.get(s.tsMs) ?? { tsMs: s.tsMs, lagMessages: 0, lagSeconds: null };
    point.lagMessages += s.lagMessages;
    if (s.lagSeconds !== null) point.lagSeconds = Math.max(point.lagSeconds ?? 0, s.lagSeconds);
    polls.set(s.tsMs, point);
  }
  return [...polls.values()].sort((a, b) => a.tsMs - b.tsMs);
}

const round = (n: number | null, digits = 3) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * A group's figures from its latest reading and its samples in the evaluation window (which include
 * the latest reading's): per-partition status (./status.ts), the group's worst status, the trend of
 * its summed lag and the time to drain.
 */
export function evaluateGroup(
  reading: GroupReading,
  windowSamples: readonly LagSample[],
  options: { nowMs: number; broker: string; thresholds: StatusThresholds },
): GroupLag {
  const { nowMs, thresholds } = options;
  const windowStart = nowMs - thresholds.windowMs;
  const inWindow = windowSamples.filter((s) => s.tsMs > windowStart && s.tsMs <= nowMs);
  const partitions: PartitionLag[] = [];
  let worst = { status: 'OK' as PartitionLag['status'], reason: 'no partitions', partition: '' };
  for (const p of reading.partitions) {
    const verdict = evaluatePartition(
      inWindow.filter((s) => s.partition === p.partition),
      reading.consumers,
      nowMs,
      thresholds,
    );
    partitions.push({
      partition: p.partition,
      lagMessages: p.lagMessages,
      lagSeconds: round(p.lagSeconds),
      lagSecondsSource: p.lagSecondsSource,
      position: p.position,
      endPosition: p.endPosition,
      status: verdict.status,
    });
    if (partitions.length === 1 || STATUS_SEVERITY[verdict.status] > STATUS_SEVERITY[worst.status]) {
      worst = { ...verdict, partition: p.partition };
    }
  }
  const totals = groupTotals(reading.partitions);
  const oldest = reading.partitions.reduce<(typeof reading.partitions)[number] | null>(
    (best, p) =>
      p.lagSeconds !== null && (best === null || p.lagSeconds > (best.lagSeconds ?? -1)) ? p : best,
    null,
  );
  const series = groupSeriesFromSamples(inWindow);
  const recent = series.filter((p) => p.tsMs > nowMs - thresholds.trendWindowMs);
  const trend = lagTrend(recent.length >= 3 ? recent : series.slice(-3));
  const multiple = reading.partitions.length > 1;
  return {
    system: reading.system,
    group: reading.group,
    destination: reading.destination,
    broker: options.broker,
    lagMessages: totals.lagMessages,
    lagSeconds: round(totals.lagSeconds),
    lagSecondsSource: oldest?.lagSecondsSource ?? 'none',
    status: worst.status,
    statusReason:
      multiple && worst.status !== 'OK' ? `partition ${worst.partition}: ${worst.reason}` : worst.reason,
    trend,
    etaSeconds: etaSeconds(totals.lagMessages, trend),
    consumers: reading.consumers,
    details: reading.details,
    partitions,
    readAt: new Date(nowMs).toISOString(),
  };
}

/** The last known figures of a group whose broker could not be read this time: ERR, with why. */
export function unreachableGroup(previous: GroupLag, error: string, nowMs: number): GroupLag {
  const age = formatDurationSeconds((nowMs - Date.parse(previous.readAt)) / 1000);
  return {
    ...previous,
    status: 'ERR',
    statusReason: `broker not readable (${error}); figures are from ${age} ago`,
    etaSeconds: null,
    trend: { direction: 'unknown', messagesPerSecond: null },
  };
}

/** Worst status first, then the oldest waiting message, then the most messages. */
export function compareForAttention(a: GroupLag, b: GroupLag): number {
  return (
    STATUS_SEVERITY[b.status] - STATUS_SEVERITY[a.status] ||
    (b.lagSeconds ?? -1) - (a.lagSeconds ?? -1) ||
    b.lagMessages - a.lagMessages ||
    a.system.localeCompare(b.system) ||
    a.destination.localeCompare(b.destination) ||
    a.group.localeCompare(b.group)
  );
}
