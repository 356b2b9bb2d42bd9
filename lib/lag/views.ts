import { z } from 'zod';
import type { BrokerSystem } from '@/lib/brokers/lag-types';
import { BadRequestError } from '@/lib/http/errors';
import { type LagHistory, groupKeyId } from './history';
import type { GroupKey, GroupSeriesPoint } from './types';

const SYSTEMS = [
  'kafka',
  'rabbitmq',
  'nats',
  'redis',
  'aws_sqs',
  'bullmq',
] as const satisfies readonly BrokerSystem[];

const groupKeySchema = z.object({
  system: z.enum(SYSTEMS, { error: `system must be one of ${SYSTEMS.join(', ')}` }),
  // The message for a missing value too: Zod's own would not say which parameter it is.
  destination: z
    .string({ error: 'destination is required with system' })
    .min(1, 'destination is required with system')
    .max(1000),
  group: z
    .string({ error: 'group is required with system' })
    .min(1, 'group is required with system')
    .max(1000),
});

export class LagQueryError extends BadRequestError {
  override name = 'LagQueryError';
}

/**
 * The group a URL points at (`?system=kafka&destination=orders&group=audit`), null when it names none;
 * LagQueryError saying what is wrong when it names one badly.
 */
export function parseGroupKey(params: {
  system?: string;
  destination?: string;
  group?: string;
}): GroupKey | null {
  if (params.system === undefined && params.group === undefined && params.destination === undefined)
    return null;
  const result = groupKeySchema.safeParse(params);
  if (!result.success) throw new LagQueryError(result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

export interface SeriesView extends GroupKey {
  points: GroupSeriesPoint[];
}

export interface HistoryView {
  stepMs: number;
  groups: SeriesView[];
  /** Per partition, when one group was asked for. */
  partitions?: { partition: string; points: GroupSeriesPoint[] }[];
}

/** A bucket width giving at most `maxPoints` points over the window, never finer than the poll interval. */
export function stepFor(windowMs: number, maxPoints: number, pollIntervalMs: number): number {
  return Math.max(pollIntervalMs, Math.ceil(windowMs / maxPoints / 1000) * 1000);
}

/** Lag over [sinceMs, untilMs) for every group, or one group and its partitions. */
export async function historyView(
  history: LagHistory,
  window: { sinceMs: number; untilMs: number; stepMs: number },
  key: GroupKey | null,
): Promise<HistoryView> {
  const query = { ...window, ...(key ? { key } : {}) };
  const [groups, partitions] = await Promise.all([
    history.groupSeries(query),
    key ? history.partitionSeries({ ...query, key }) : Promise.resolve(null),
  ]);
  const view: HistoryView = {
    stepMs: window.stepMs,
    groups: [...groups.values()].map(({ key: k, points }) => ({ ...k, points })),
  };
  if (key && !view.groups.some((g) => groupKeyId(g) === groupKeyId(key))) {
    view.groups.push({ ...key, points: [] });
  }
  if (partitions) {
    view.partitions = [...partitions]
      .map(([partition, points]) => ({ partition, points }))
      .sort((a, b) => a.partition.localeCompare(b.partition, 'en', { numeric: true }));
  }
  return view;
}
