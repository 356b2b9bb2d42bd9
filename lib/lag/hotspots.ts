import { compareForAttention } from './evaluate';
import type { BrokerState, GroupLag, LagSnapshot } from './types';

export interface LagHotSpots {
  /** Groups that need a look, worst first: any status but OK, or messages waiting longer than `minLagSeconds`. */
  groups: GroupLag[];
  /** Configured brokers the last poll could not read. */
  unreachable: BrokerState[];
}

/** What Overview shows under "lag": the few groups most behind, and brokers that are down. */
export function lagHotSpots(
  snapshot: LagSnapshot,
  options: { limit?: number; minLagSeconds?: number } = {},
): LagHotSpots {
  const { limit = 5, minLagSeconds = 10 } = options;
  return {
    groups: snapshot.groups
      .filter((g) => g.status !== 'OK' || (g.lagSeconds ?? 0) >= minLagSeconds)
      .sort(compareForAttention)
      .slice(0, limit),
    unreachable: snapshot.brokers.filter((b) => b.reachable === false),
  };
}
