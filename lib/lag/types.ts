import type { BrokerSystem, LagTimeSource } from '@/lib/brokers/lag-types';

/**
 * Consumer status, in the spirit of Burrow's (github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules).
 * The rules and thresholds are in ./status.ts.
 */
export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND' | 'ERR';

/** Worst first when sorting for attention; also the order a group takes its worst partition's status by. */
export const STATUS_SEVERITY: Record<LagStatus, number> = {
  OK: 0,
  WARN: 1,
  REWIND: 2,
  STALL: 3,
  STOP: 4,
  ERR: 5,
};

/** Identifies a group's series: the same group on two topics is two rows. */
export interface GroupKey {
  system: BrokerSystem;
  group: string;
  destination: string;
}

/** One partition at one poll: a row of lag history. */
export interface LagSample extends GroupKey {
  tsMs: number;
  partition: string;
  lagMessages: number;
  lagSeconds: number | null;
  position: number | null;
  endPosition: number | null;
  consumers: number | null;
}

/** A group's lag over time (partitions summed, oldest age taken), for sparklines and charts. */
export interface GroupSeriesPoint {
  tsMs: number;
  lagMessages: number;
  lagSeconds: number | null;
}

export type TrendDirection = 'growing' | 'shrinking' | 'flat' | 'unknown';

export interface LagTrend {
  direction: TrendDirection;
  /** Least-squares slope of lag over the evaluation window: > 0 falling behind, < 0 draining. */
  messagesPerSecond: number | null;
}

export interface PartitionLag {
  partition: string;
  lagMessages: number;
  lagSeconds: number | null;
  lagSecondsSource: LagTimeSource;
  position: number | null;
  endPosition: number | null;
  status: LagStatus;
}

/** What GET /api/lag returns per group. */
export interface GroupLag extends GroupKey {
  /** Address of the broker the group lives on. */
  broker: string;
  lagMessages: number;
  lagSeconds: number | null;
  /** How lagSeconds was obtained for the oldest partition (see BrokerSystem files). */
  lagSecondsSource: LagTimeSource;
  status: LagStatus;
  /** Why the status is what it is, in words. */
  statusReason: string;
  trend: LagTrend;
  /** Seconds until the lag reaches 0 at the current net drain rate; 0 when caught up; null when not draining. */
  etaSeconds: number | null;
  consumers: number | null;
  details: Record<string, number | string | null>;
  partitions: PartitionLag[];
  /** When these figures were read from the broker (ISO-8601); older than the poll interval when the broker is down. */
  readAt: string;
}

/** A configured broker and whether the last poll could read it. */
export interface BrokerState {
  system: BrokerSystem;
  address: string;
  /** null until the first poll finishes. */
  reachable: boolean | null;
  error: string | null;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
}

export interface LagSnapshot {
  generatedAt: string;
  groups: GroupLag[];
  brokers: BrokerState[];
}
