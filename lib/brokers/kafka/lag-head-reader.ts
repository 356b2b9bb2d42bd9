import type { Kafka } from 'kafkajs';
import { PATHWAY_HEADER, parsePathway } from '../pathway';

/**
 * Reads the produce time of the oldest unconsumed record of a partition: the record at the group's
 * committed offset. kafkajs has no public "fetch one record at an offset" (its consumer always joins
 * a group, which would take seconds and leave a group behind on the broker), so this uses the Fetch
 * request of kafkajs's own broker connection, reached through the cluster factory the Kafka object
 * keeps under a private symbol (kafkajs 2.2.x, which is no longer developed, so the internals hold
 * still). If they ever move, `available` is false and the lag falls back to interpolation.
 *
 * Cost per poll: one Fetch per partition leader, only for partitions whose committed offset moved
 * since the last poll (results are cached per offset), each returning at most one record batch of
 * ≤ 256 KiB per partition.
 */

interface RawRecord {
  offset: string;
  timestamp: string;
  headers?: Record<string, Buffer | Buffer[] | undefined>;
  isControlRecord?: boolean;
}

interface FetchResponse {
  responses: {
    topicName: string;
    partitions: { partition: number; errorCode: number; messages: RawRecord[] }[];
  }[];
}

interface InternalBroker {
  fetch(request: {
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<FetchResponse>;
}

interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  refreshMetadata(): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: string }): Promise<InternalBroker>;
}

type ClusterFactory = (options: {
  allowAutoTopicCreation: boolean;
  instrumentationEmitter: null;
}) => InternalCluster;

export interface HeadRequest {
  topic: string;
  partition: number;
  offset: number;
}

export interface HeadTime {
  /** The record's offset (≥ the requested one: compaction and transaction markers leave gaps). */
  offset: number;
  tsMs: number;
  source: 'pathway' | 'message-timestamp';
}

const READ_UNCOMMITTED = 0;
const PARTITION_MAX_BYTES = 256 * 1024;
const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

function clusterFactory(kafka: Kafka): ClusterFactory | null {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const factory = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  return typeof factory === 'function' ? (factory as ClusterFactory) : null;
}

/** The produce time a record carries: our pathway header's sendMs when present, else its timestamp. */
export function recordProduceTime(record: RawRecord, nowMs: number): Omit<HeadTime, 'offset'> | null {
  const header = record.headers?.[PATHWAY_HEADER];
  const pathway = parsePathway(Array.isArray(header) ? header[0] : header, nowMs);
  if (pathway) return { tsMs: pathway.sendMs, source: 'pathway' };
  const timestamp = Number(record.timestamp);
  // -1 = a record written without a timestamp (message format v0).
  return Number.isFinite(timestamp) && timestamp > 0
    ? { tsMs: timestamp, source: 'message-timestamp' }
    : null;
}

/** Identifies one request: the same partition is asked about at several offsets by several groups. */
export const headRequestKey = (r: HeadRequest) => `${key(r.topic, r.partition)}@${r.offset}`;

export class KafkaHeadReader {
  private cluster: InternalCluster | null = null;
  /** Answers of the last poll by headRequestKey: a group that did not move costs no fetch. */
  private cache = new Map<string, HeadTime>();
  readonly available: boolean;
  private readonly factory: ClusterFactory | null;

  constructor(kafka: Kafka) {
    this.factory = clusterFactory(kafka);
    this.available = this.factory !== null;
  }

  private async connect(): Promise<InternalCluster> {
    if (this.cluster) return this.cluster;
    if (!this.factory) throw new Error('kafkajs internals not found');
    const cluster = this.factory({ allowAutoTopicCreation: false, instrumentationEmitter: null });
    await cluster.connect();
    this.cluster = cluster;
    return cluster;
  }

  /**
   * Produce times of the first record at or after each requested offset, by headRequestKey. Records
   * that cannot be read (deleted by retention, a fetch error, a batch over the size cap) are left out.
   */
  async headTimes(requests: readonly HeadRequest[], nowMs: number): Promise<Map<string, HeadTime>> {
    const out = new Map<string, HeadTime>();
    const missing: HeadRequest[] = [];
    for (const r of new Map(requests.map((r) => [headRequestKey(r), r])).values()) {
      const cached = this.cache.get(headRequestKey(r));
      if (cached) out.set(headRequestKey(r), cached);
      else missing.push(r);
    }
    if (missing.length > 0 && this.available) {
      const cluster = await this.connect();
      await cluster.addMultipleTargetTopics([...new Set(missing.map((r) => r.topic))]);
      // A Fetch names each partition once: several offsets of one partition take several rounds.
      let pending = missing;
      while (pending.length > 0) {
        const round = new Map<string, HeadRequest>();
        const later: HeadRequest[] = [];
        for (const r of pending) {
          if (round.has(key(r.topic, r.partition))) later.push(r);
          else round.set(key(r.topic, r.partition), r);
        }
        await this.fetchRound(cluster, [...round.values()], nowMs, out);
        pending = later;
      }
    }
    this.cache = new Map(out);
    return out;
  }

  /** One Fetch per partition leader for requests naming distinct partitions. */
  private async fetchRound(
    cluster: InternalCluster,
    requests: HeadRequest[],
    nowMs: number,
    out: Map<string, HeadTime>,
  ): Promise<void> {
    const perLeader = new Map<string, HeadRequest[]>();
    for (const topic of new Set(requests.map((r) => r.topic))) {
      const asked = requests.filter((r) => r.topic === topic);
      const leaders = cluster.findLeaderForPartitions(
        topic,
        asked.map((r) => r.partition),
      );
      for (const [nodeId, partitions] of Object.entries(leaders)) {
        perLeader.set(nodeId, [
          ...(perLeader.get(nodeId) ?? []),
          ...asked.filter((r) => partitions.includes(r.partition)),
        ]);
      }
    }
    await Promise.all(
      [...perLeader].map(async ([nodeId, asked]) => {
        const broker = await cluster.findBroker({ nodeId });
        const response = await broker.fetch({
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: PARTITION_MAX_BYTES * 8,
          isolationLevel: READ_UNCOMMITTED,
          topics: [...new Set(asked.map((r) => r.topic))].map((topic) => ({
            topic,
            partitions: asked
              .filter((r) => r.topic === topic)
              .map((r) => ({
                partition: r.partition,
                fetchOffset: String(r.offset),
                maxBytes: PARTITION_MAX_BYTES,
              })),
          })),
        });
        for (const { topicName, partitions } of response.responses) {
          for (const p of partitions) {
            const request = asked.find((r) => r.topic === topicName && r.partition === p.partition);
            if (!request || p.errorCode !== 0) continue;
            // A fetch returns whole batches: skip records before the offset and control records.
            const record = p.messages.find((m) => Number(m.offset) >= request.offset && !m.isControlRecord);
            const time = record ? recordProduceTime(record, nowMs) : null;
            if (record && time) out.set(headRequestKey(request), { offset: Number(record.offset), ...time });
          }
        }
      }),
    );
  }

  async close(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = null;
    await cluster?.disconnect();
  }
}

export const headKey = key;
