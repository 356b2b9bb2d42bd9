/**
 * The contract every broker's lag adapter implements: lib/brokers/<system>/lag.ts
 * (kafka, rabbitmq, nats, redis, sqs, bullmq), listed in lib/brokers/registry.ts.
 * Dead-letter reads and replays have their own contract (./dlq-types.ts),
 * implemented beside it in lib/brokers/<system>/dlq.ts.
 */

import type { BrokerSystem } from '@/lib/model/span';

export type { BrokerSystem };

/**
 * Where `lagSeconds` came from, so the UI can say how exact it is:
 * - `pathway`: `sendMs` of the signalbox-pathway header on the oldest unconsumed message (exact, producer clock);
 * - `message-timestamp`: the broker's or producer's timestamp on that message (Kafka record timestamp,
 *   JetStream stored time, BullMQ job timestamp, RabbitMQ `timestamp` property);
 * - `entry-id`: a Redis Streams id, whose first half is the append time in ms;
 * - `interpolated`: estimated from the history of end offsets over time (Kafka; error ≤ one poll interval);
 * - `lower-bound`: older than every end-offset sample kept, so at least this old;
 * - `none`: unknown (see the broker's lag.ts for why).
 */
export type LagTimeSource =
  'pathway' | 'message-timestamp' | 'entry-id' | 'interpolated' | 'lower-bound' | 'none';

/** One partition of a group's destination (queues have one, named ''). */
export interface PartitionReading {
  partition: string;
  /** Messages not yet consumed (see each broker's lag.ts for what counts). */
  lagMessages: number;
  /** Age of the oldest unconsumed message in seconds; 0 when nothing waits; null when unknown. */
  lagSeconds: number | null;
  lagSecondsSource: LagTimeSource;
  /**
   * A counter that only grows while the group consumes (Kafka committed offset, JetStream ack floor,
   * Redis entries-read, RabbitMQ acks). Status rules use it to tell "slow" from "stuck"; null when
   * the broker has no such counter.
   */
  position: number | null;
  /** End of the log the position chases (Kafka high watermark, JetStream last sequence); null for queues. */
  endPosition: number | null;
}

/** What one read of the broker says about one consumer group (or queue) on one destination. */
export interface GroupReading {
  system: BrokerSystem;
  /** Kafka group id, JetStream consumer, Redis group, or the queue name for queue brokers. */
  group: string;
  /** Topic, queue, stream. */
  destination: string;
  /** Attached consumers (group members, queue consumers, BullMQ workers); null when unknown. */
  consumers: number | null;
  partitions: PartitionReading[];
  /** Broker-specific figures shown as they are: ready, unacked, ackPending, redelivered, delayed, failed, rates. */
  details: Record<string, number | string | null>;
}

export interface PollContext {
  signal: AbortSignal;
  nowMs: number;
}

/** A broker that can report lag. Errors reject with a message an operator can act on. */
export interface BrokerAdapter {
  readonly system: BrokerSystem;
  /** Address shown to operators, never with credentials. */
  readonly address: string;
  /**
   * Reads every discovered (and included) group. `signal` aborts when the poll times out (the adapter
   * then drops its connection, so the next read starts afresh); ages are computed against `nowMs`,
   * the poll's timestamp, so they agree with the time the samples are stored under.
   */
  readLag(poll: PollContext): Promise<GroupReading[]>;
  /** Closes connections; the adapter may be used again afterwards (it reconnects). */
  close(): Promise<void>;
}

/** Sum of partition lags and the oldest partition's age: a group's headline figures. */
export function groupTotals(partitions: readonly PartitionReading[]): {
  lagMessages: number;
  lagSeconds: number | null;
} {
  let lagMessages = 0;
  let lagSeconds: number | null = null;
  for (const p of partitions) {
    lagMessages += p.lagMessages;
    if (p.lagSeconds !== null) lagSeconds = Math.max(lagSeconds ?? 0, p.lagSeconds);
  }
  return { lagMessages, lagSeconds };
}
