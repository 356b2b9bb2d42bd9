import { type Admin, AssignerProtocol, type GroupDescription, Kafka, type KafkaConfig } from 'kafkajs';
import type { KafkaSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, PartitionReading, PollContext } from '../lag-types';
import { kafkaAddress, kafkaConnection } from './connection';
import { type HeadTime, KafkaHeadReader, headKey, headRequestKey } from './lag-head-reader';
import { type OffsetTimePoint, estimateProduceTime, recordEndOffset } from './lag-interpolation';

/**
 * Kafka consumer-group lag: committed offsets (OffsetFetch) against end offsets (ListOffsets) per
 * partition, for every group the cluster lists that has committed offsets (a group that has never
 * committed on a topic has no position there yet and is not shown for it).
 *
 * - lagMessages = high watermark − committed offset. Partitions the group never committed on have no
 *   known position (the consumer's auto.offset.reset decides where it will start): they are counted
 *   in details.partitionsWithoutCommit when a member is assigned them, not guessed;
 * - lagSeconds = now − produce time of the record at the committed offset: the pathway header's sendMs
 *   when producers are instrumented, else the record timestamp (CreateTime is the producer's clock,
 *   LogAppendTime the broker's), read with one small Fetch per leader (./lag-head-reader.ts). When records
 *   cannot be read (SIGNALBOX_KAFKA_READ_MESSAGES=false, no READ permission, deleted by retention) it
 *   is interpolated from the history of end offsets over time (./lag-interpolation.ts): error at most
 *   one poll interval, or a lower bound when the record is older than the kept history;
 * - consumers = members of the group (0 when its state is Empty);
 * - position = committed offset, endPosition = high watermark.
 */
/**
 * kafkajs clients remember every topic they were asked about and refresh metadata for all of them on
 * every later call; once one is deleted, each refresh fails with UNKNOWN_TOPIC_OR_PARTITION. Topics
 * come and go under a dashboard (tests, temporary topics), so such a failure retries the read once
 * with fresh clients instead of reporting the broker down.
 */
function isUnknownTopic(error: unknown): boolean {
  const type = (error as { type?: unknown }).type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition/i.test(String(error));
}

/** Partitions of `topic` the group has a committed offset on. */
function committedOn(
  pairs: { groupId: string; topic: string; partitions: { partition: number; offset: string }[] }[],
  groupId: string,
  topic: string,
): Set<number> {
  const pair = pairs.find((p) => p.groupId === groupId && p.topic === topic);
  return new Set(pair?.partitions.filter((p) => Number(p.offset) >= 0).map((p) => p.partition) ?? []);
}

/** How many partitions of `topic` the members are assigned without a commit (undecodable → 0). */
function uncommittedAssigned(group: GroupDescription, topic: string, committed: Set<number>): number {
  let count = 0;
  for (const member of group.members) {
    try {
      const assigned =
        AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic] ?? [];
      count += assigned.filter((p) => !committed.has(p)).length;
    } catch {
      // Not the consumer protocol's assignment format (another client's protocol): nothing to count.
    }
  }
  return count;
}

export class KafkaLagAdapter implements BrokerAdapter {
  readonly system = 'kafka' as const;
  readonly address: string;
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private readonly head: KafkaHeadReader;
  /** End offsets over time per partition, for interpolation. */
  private readonly endTables = new Map<string, OffsetTimePoint[]>();

  constructor(
    private readonly settings: KafkaSettings,
    private readonly include: (group: string, topic: string) => boolean,
    /** Extra kafkajs settings (tests route connections through a proxy with socketFactory). */
    clientConfig: Partial<KafkaConfig> = {},
  ) {
    this.address = kafkaAddress(settings);
    this.kafka = new Kafka({
      ...kafkaConnection(settings),
      clientId: settings.clientId,
      requestTimeout: 10_000,
      // The poller retries on its own schedule; kafkajs's retries would only hide a dead broker longer.
      retry: { retries: 1, initialRetryTime: 200 },
      ...clientConfig,
    });
    this.head = new KafkaHeadReader(this.kafka);
  }

  private async connect(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }

  async readLag(poll: PollContext): Promise<GroupReading[]> {
    try {
      return await this.read(poll);
    } catch (error) {
      if (!isUnknownTopic(error)) throw error;
      await this.close();
      return this.read(poll);
    }
  }

  private async read({ signal, nowMs }: PollContext): Promise<GroupReading[]> {
    const admin = await this.connect();
    const listed = (await admin.listGroups()).groups
      // '' = groups that only commit offsets (no group management), still consumers worth showing.
      .filter((g) => g.protocolType === 'consumer' || g.protocolType === '')
      .map((g) => g.groupId)
      .sort();
    if (listed.length === 0) return [];
    signal.throwIfAborted();
    const [{ groups: described }, committed] = await Promise.all([
      admin.describeGroups(listed),
      Promise.all(
        listed.map(async (groupId) => ({ groupId, topics: await admin.fetchOffsets({ groupId }) })),
      ),
    ]);
    const pairs = committed.flatMap(({ groupId, topics }) =>
      topics.filter((t) => this.include(groupId, t.topic)).map((t) => ({ groupId, ...t })),
    );
    // Only topics that exist: asking kafkajs about a deleted one poisons its metadata (see above).
    const existing = new Set(await admin.listTopics());
    const topics = [...new Set(pairs.map((p) => p.topic))].filter((t) => existing.has(t));
    signal.throwIfAborted();
    const ends = new Map<string, Map<number, { high: number; low: number }>>();
    await Promise.all(
      topics.map(async (topic) => {
        const offsets = await admin.fetchTopicOffsets(topic);
        const byPartition = new Map<number, { high: number; low: number }>();
        for (const o of offsets) {
          byPartition.set(o.partition, { high: Number(o.high), low: Number(o.low) });
          let table = this.endTables.get(headKey(topic, o.partition));
          if (!table) this.endTables.set(headKey(topic, o.partition), (table = []));
          recordEndOffset(table, { endOffset: Number(o.high), tsMs: nowMs });
        }
        ends.set(topic, byPartition);
      }),
    );

    // Positions first, then the produce times of the records they point at, in one batch.
    const rows = pairs.flatMap(({ groupId, topic, partitions }) =>
      partitions.flatMap(({ partition, offset }) => {
        const end = ends.get(topic)?.get(partition);
        if (!end) return [];
        const committedOffset = Number(offset);
        // -1: no commit on this partition, so no position to measure from (counted in details).
        if (committedOffset < 0) return [];
        const lag = Math.max(0, end.high - committedOffset);
        // The next record to consume; retention may have deleted the committed one.
        const headOffset = Math.max(committedOffset, end.low);
        return [{ groupId, topic, partition, lag, headOffset, committedOffset, end }];
      }),
    );
    const lagging = rows.filter((r) => r.lag > 0);
    let heads = new Map<string, HeadTime>();
    if (this.settings.readMessages && this.head.available && lagging.length > 0) {
      signal.throwIfAborted();
      heads = await this.readHeads(lagging, nowMs);
    }

    const readings = new Map<string, GroupReading>();
    for (const r of rows) {
      const id = `${r.groupId}\u0000${r.topic}`;
      let reading = readings.get(id);
      if (!reading) {
        const group = described.find((g) => g.groupId === r.groupId);
        reading = {
          system: 'kafka',
          group: r.groupId,
          destination: r.topic,
          consumers: group ? group.members.length : null,
          partitions: [],
          details: {
            state: group?.state ?? null,
            // Assigned partitions the group has never committed on: their lag cannot be known yet.
            partitionsWithoutCommit: group
              ? uncommittedAssigned(group, r.topic, committedOn(pairs, r.groupId, r.topic))
              : null,
          },
        };
        readings.set(id, reading);
      }
      reading.partitions.push(this.partitionReading(r, heads, nowMs));
    }
    return [...readings.values()].map((reading) => ({
      ...reading,
      partitions: reading.partitions.sort((a, b) => Number(a.partition) - Number(b.partition)),
    }));
  }

  /** Head record times by headRequestKey; several groups waiting on one offset share one read. */
  private async readHeads(
    rows: { topic: string; partition: number; headOffset: number }[],
    nowMs: number,
  ): Promise<Map<string, HeadTime>> {
    return (
      this.head
        .headTimes(
          rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.headOffset })),
          nowMs,
        )
        // Unreadable records (ACLs, a fetch error) leave the interpolation to answer; the reader's
        // connection is dropped too (a deleted topic poisons its metadata like the admin's).
        .catch(async () => {
          await this.head.close().catch(() => undefined);
          return new Map<string, HeadTime>();
        })
    );
  }

  private partitionReading(
    r: {
      topic: string;
      partition: number;
      lag: number;
      headOffset: number;
      committedOffset: number;
      end: { high: number };
    },
    heads: Map<string, HeadTime>,
    nowMs: number,
  ): PartitionReading {
    const base = {
      partition: String(r.partition),
      lagMessages: r.lag,
      position: r.committedOffset,
      endPosition: r.end.high,
    };
    if (r.lag === 0) return { ...base, lagSeconds: 0, lagSecondsSource: 'none' };
    const head = heads.get(headRequestKey({ topic: r.topic, partition: r.partition, offset: r.headOffset }));
    if (head) {
      return { ...base, lagSeconds: Math.max(0, (nowMs - head.tsMs) / 1000), lagSecondsSource: head.source };
    }
    const estimate = estimateProduceTime(
      this.endTables.get(headKey(r.topic, r.partition)) ?? [],
      r.headOffset,
    );
    if (!estimate) return { ...base, lagSeconds: null, lagSecondsSource: 'none' };
    return {
      ...base,
      lagSeconds: Math.max(0, (nowMs - estimate.tsMs) / 1000),
      lagSecondsSource: estimate.source,
    };
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await Promise.allSettled([admin?.disconnect(), this.head.close()]);
  }
}
