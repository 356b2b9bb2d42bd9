import type { Redis } from 'ioredis';
import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading, LagTimeSource, PollContext } from '../lag-types';
import { PATHWAY_HEADER, parsePathway } from '../pathway';
import { flatToObject, openRedis, redisAddress, streamKeys } from './connection';

type RedisSettings = NonNullable<BrokerSettings['redis']>;

/** Streams are found with SCAN (O(keys)), so not on every poll. */
const RESCAN_EVERY_MS = 60_000;
/** A consumer that has not read for this long is counted idle, not attached. */
const IDLE_AFTER_MS = 60_000;
/** When Redis cannot tell a group's lag (after XDEL/XTRIM), we count entries, up to this many. */
const COUNT_LIMIT = 10_000;

/** The ms part of a stream entry id ("1700000000000-0"). */
export function entryIdMs(id: string): number | null {
  const ms = Number(id.split('-')[0]);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/**
 * Redis Streams consumer-group lag for every stream with groups (Redis ≥ 7 for `lag`/`entries-read`).
 *
 * - lagMessages = entries not yet acknowledged by the group: `lag` (never delivered, from XINFO
 *   GROUPS) + `pending` (delivered, not acked: the PEL) — Kafka's meaning of lag; both in details.
 * - position = entries-read; endPosition = the stream's entries-added.
 * - lagSeconds = age of the oldest unacknowledged entry (the PEL's smallest id or the first entry after
 *   last-delivered-id, whichever is older): the pathway field's sendMs when the entry has one, else the
 *   entry id's time (ids are append times in ms unless producers chose their own ids).
 * - consumers = group consumers that read in the last minute (XINFO CONSUMERS idle); registered but
 *   idle consumers are in details (they keep their pending entries until claimed).
 */
export class RedisStreamsLagAdapter implements BrokerAdapter {
  readonly system = 'redis' as const;
  readonly address: string;
  private redis: Redis | null = null;
  private streams: string[] = [];
  private scannedAtMs = -Infinity;

  constructor(
    private readonly settings: RedisSettings,
    private readonly include: (group: string, stream: string) => boolean,
  ) {
    this.address = redisAddress(settings.url);
  }

  private async connection(): Promise<Redis> {
    if (this.redis?.status === 'ready') return this.redis;
    this.redis?.disconnect();
    this.redis = await openRedis(this.settings.url, this.settings.tls);
    return this.redis;
  }

  private async scanStreams(redis: Redis, nowMs: number): Promise<string[]> {
    if (nowMs - this.scannedAtMs < RESCAN_EVERY_MS) return this.streams;
    // Sorted, so polls walk the streams in a stable order.
    this.streams = [...(await streamKeys(redis))].sort();
    this.scannedAtMs = nowMs;
    return this.streams;
  }

  async readLag({ signal, nowMs }: PollContext): Promise<GroupReading[]> {
    const redis = await this.connection();
    const readings: GroupReading[] = [];
    for (const stream of await this.scanStreams(redis, nowMs)) {
      signal.throwIfAborted();
      const groups = ((await redis.call('XINFO', 'GROUPS', stream).catch(noSuchKey)) as unknown[]).map(
        flatToObject,
      );
      if (groups.length === 0) continue;
      const info = flatToObject(await redis.call('XINFO', 'STREAM', stream));
      for (const group of groups) {
        const name = String(group.name);
        if (!this.include(name, stream)) continue;
        readings.push(await this.groupReading(redis, stream, group, info, nowMs));
      }
    }
    return readings;
  }

  private async groupReading(
    redis: Redis,
    stream: string,
    group: Record<string, unknown>,
    info: Record<string, unknown>,
    nowMs: number,
  ): Promise<GroupReading> {
    const name = String(group.name);
    const lastDelivered = String(group['last-delivered-id']);
    const pending = Number(group.pending ?? 0);
    let undelivered = group.lag === null || group.lag === undefined ? null : Number(group.lag);
    if (undelivered === null) {
      // Redis cannot compute lag after entries were deleted from the middle: count them.
      const after = (await redis.call(
        'XRANGE',
        stream,
        `(${lastDelivered}`,
        '+',
        'COUNT',
        COUNT_LIMIT,
      )) as unknown[];
      undelivered = after.length;
    }
    const lag = undelivered + pending;

    const candidates: string[] = [];
    if (pending > 0) {
      const summary = (await redis.call('XPENDING', stream, name)) as [number, string | null, ...unknown[]];
      if (summary[1]) candidates.push(summary[1]);
    }
    if (undelivered > 0) {
      const next = (await redis.call('XRANGE', stream, `(${lastDelivered}`, '+', 'COUNT', 1)) as [
        string,
        string[],
      ][];
      if (next[0]) candidates.push(next[0][0]);
    }
    let lagSeconds: number | null = lag === 0 ? 0 : null;
    let source: LagTimeSource = 'none';
    const oldest = candidates.sort(compareIds)[0];
    if (oldest) {
      const [entry] = (await redis.call('XRANGE', stream, oldest, oldest, 'COUNT', 1)) as [
        string,
        string[],
      ][];
      const fields = entry?.[1] ?? [];
      const field = fields.findIndex((f, i) => i % 2 === 0 && f === PATHWAY_HEADER);
      const pathway = field >= 0 ? parsePathway(fields[field + 1], nowMs) : null;
      const tsMs = pathway?.sendMs ?? entryIdMs(oldest);
      if (tsMs !== null) {
        lagSeconds = Math.max(0, (nowMs - tsMs) / 1000);
        source = pathway ? 'pathway' : 'entry-id';
      }
    }

    const consumers = ((await redis.call('XINFO', 'CONSUMERS', stream, name)) as unknown[]).map(flatToObject);
    const active = consumers.filter((c) => Number(c.idle ?? Infinity) < IDLE_AFTER_MS).length;
    const entriesRead = group['entries-read'];
    return {
      system: 'redis',
      group: name,
      destination: stream,
      consumers: active,
      partitions: [
        {
          partition: '',
          lagMessages: lag,
          lagSeconds,
          lagSecondsSource: source,
          position: entriesRead === null || entriesRead === undefined ? null : Number(entriesRead),
          endPosition: info['entries-added'] === undefined ? null : Number(info['entries-added']),
        },
      ],
      details: {
        undelivered,
        pending,
        registeredConsumers: consumers.length,
        idleConsumers: consumers.length - active,
        streamLength: info.length === undefined ? null : Number(info.length),
      },
    };
  }

  close(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    this.scannedAtMs = -Infinity;
    redis?.disconnect();
    return Promise.resolve();
  }
}

/** A stream deleted between SCAN and XINFO has no groups; any other error is the poll's. */
function noSuchKey(error: unknown): unknown[] {
  if (/no such key/i.test(String(error))) return [];
  throw error;
}

/** Orders stream ids ("ms-seq") numerically. */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
