import type { Redis } from 'ioredis';
import type { BrokerSettings } from '@/lib/config';
import { DlqAdapterBase } from '../dlq-adapter-base';
import type { KnownDlqNames } from '../dlq-known-names';
import { looksLikeDlq } from '../dlq-names';
import {
  type BrowseResult,
  type DlqQueueInfo,
  type DlqRecord,
  type DlqSession,
  type OpenOptions,
  type OutgoingMessage,
  DlqBrokerError,
} from '../dlq-types';
import { openRedis, redisAddress, streamKeys } from './connection';
import { redisCopyFields, redisRecord } from './dlq-mapping';

type RedisSettings = NonNullable<BrokerSettings['redis']>;

/** Entries per XRANGE call of a pass. */
const PAGE = 500;
/** Ids per XDEL call. */
const DELETE_CHUNK = 1000;

type Entry = [Buffer, Buffer[]];

/**
 * Redis Streams dead-letter streams (`<stream>:dlq`, deadLetterRedisStream's default, and any stream
 * named like a DLQ or configured). Needs Redis ≥ 6.2 (XADD NOMKSTREAM, exclusive XRANGE ranges).
 *
 * What reading does: nothing. XRANGE reads entries without consuming them or touching any consumer
 * group, so browsing and replay leave the stream exactly as it was until a replay removes entries.
 *
 * Replay: a pass reads with XRANGE from the start up to the last entry present when the job began
 * (kept in the job's cursor, so entries dead-lettered meanwhile, its own re-failures included, wait
 * for the next job), copies with XADD NOMKSTREAM to the target stream (a copy to a stream that does
 * not exist is refused, not written to a new stream nobody reads), and only after Redis replied with
 * the new ids and the job checkpointed them deletes the originals with XDEL. Redis acknowledges
 * writes from memory: how durable a confirmed copy is depends on the server's AOF/replication
 * settings. Purge = XTRIM MAXLEN 0 (the stream and its consumer groups stay).
 */
export class RedisStreamsDlqAdapter extends DlqAdapterBase {
  readonly system = 'redis' as const;
  private redis: Redis | null = null;

  constructor(
    private readonly settings: RedisSettings,
    configured: KnownDlqNames | readonly string[] = [],
  ) {
    super(redisAddress(settings.url), configured);
  }

  private async connection(): Promise<Redis> {
    if (this.redis?.status === 'ready') return this.redis;
    this.redis?.disconnect();
    this.redis = null;
    const redis = await openRedis(this.settings.url, this.settings.tls, 'signalbox-dlq');
    await redis.client('SETNAME', 'signalbox-dlq');
    this.redis = redis;
    return redis;
  }

  /** Throws DlqBrokerError unless `key` is a stream. */
  private async checkStream(redis: Redis, key: string): Promise<void> {
    const type = await redis.type(key);
    if (type === 'none') throw new DlqBrokerError(`Redis stream ${key} does not exist`);
    if (type !== 'stream') throw new DlqBrokerError(`Redis key ${key} is a ${type}, not a stream`);
  }

  async discover(): Promise<DlqQueueInfo[]> {
    const redis = await this.connection();
    const sources = new Map<string, DlqQueueInfo['source']>();
    for (const key of await streamKeys(redis)) {
      const known = this.configured.source(key);
      if (known) sources.set(key, known);
      else if (looksLikeDlq(key)) sources.set(key, 'name');
    }
    for (const key of this.configured) {
      if (!sources.has(key) && (await redis.type(key)) === 'stream')
        sources.set(key, this.configured.source(key) ?? 'config');
    }
    const names = [...sources.keys()].sort();
    const pipeline = redis.pipeline();
    for (const name of names) pipeline.xlen(name);
    const lengths = (await pipeline.exec()) ?? [];
    return names.map((name, i) => {
      const [error, length] = lengths[i] ?? [null, null];
      return {
        system: 'redis' as const,
        name,
        messages: error || typeof length !== 'number' ? null : length,
        source: sources.get(name) ?? 'name',
      };
    });
  }

  /** XRANGE reads without a pass: nothing to hold or hand back. */
  override async browse(queue: string, limit: number): Promise<BrowseResult> {
    const redis = await this.connection();
    await this.checkStream(redis, queue);
    const entries = (await redis.callBuffer('XRANGE', queue, '-', '+', 'COUNT', limit + 1)) as Entry[];
    const records = entries.slice(0, limit).map(([id, fields]) => redisRecord(id.toString(), fields));
    return { records, truncated: entries.length > limit };
  }

  async open(queue: string, options: OpenOptions): Promise<DlqSession> {
    const redis = await this.connection();
    await this.checkStream(redis, queue);
    let end = cursorEnd(options.cursor);
    if (end === undefined) {
      const [last] = (await redis.xrevrange(queue, '+', '-', 'COUNT', 1)) as [string, string[]][];
      end = last?.[0] ?? null;
    }
    return new RedisStreamSession(redis, queue, end);
  }

  async purge(queue: string): Promise<number | null> {
    const redis = await this.connection();
    await this.checkStream(redis, queue);
    return redis.xtrim(queue, 'MAXLEN', 0);
  }

  close(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    redis?.disconnect();
    return Promise.resolve();
  }
}

/** The end id a cursor holds (null: the stream was empty), or undefined without a valid cursor. */
function cursorEnd(cursor: string | null): string | null | undefined {
  if (cursor === null) return undefined;
  try {
    const { end } = JSON.parse(cursor) as { end?: unknown };
    if (end === null || (typeof end === 'string' && /^\d+-\d+$/.test(end))) return end;
  } catch {
    // not ours: start a fresh pass
  }
  return undefined;
}

/**
 * A pass over a stream up to `end`. A resumed pass starts from the beginning again: entries already
 * replayed were deleted, and those checkpointed just before a crash (not deleted yet) are found and
 * deleted by the job without being sent again.
 */
class RedisStreamSession implements DlqSession {
  readonly cursor: string;
  private buffer: DlqRecord[] = [];
  private after: string | null = null;
  private done: boolean;

  constructor(
    private readonly redis: Redis,
    private readonly stream: string,
    private readonly end: string | null,
  ) {
    this.cursor = JSON.stringify({ end });
    this.done = end === null;
  }

  async next(): Promise<DlqRecord | null> {
    if (this.buffer.length === 0 && !this.done && this.end !== null) {
      const start = this.after === null ? '-' : `(${this.after}`;
      const page = (await this.redis.callBuffer(
        'XRANGE',
        this.stream,
        start,
        this.end,
        'COUNT',
        PAGE,
      )) as Entry[];
      for (const [id, fields] of page) {
        this.after = id.toString();
        this.buffer.push(redisRecord(this.after, fields));
      }
      if (page.length < PAGE || this.after === this.end) this.done = true;
    }
    return this.buffer.shift() ?? null;
  }

  async publish(target: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const m of messages) pipeline.xadd(target, 'NOMKSTREAM', '*', ...redisCopyFields(m));
    const replies = (await pipeline.exec()) ?? [];
    const failures = replies.filter(([error]) => error).map(([error]) => String(error));
    if (replies.length !== messages.length || failures.length > 0) {
      throw new DlqBrokerError(
        `Redis did not add ${failures.length || messages.length} of ${messages.length} copies to ${target}: ${failures[0] ?? 'no reply'}`,
      );
    }
    // NOMKSTREAM: a nil reply means the target stream does not exist, and nothing was written.
    if (replies.some(([, id]) => id === null)) {
      throw new DlqBrokerError(
        `Redis stream ${target} does not exist: the copies were not written (choose another target, or create it)`,
      );
    }
  }

  async remove(records: readonly DlqRecord[]): Promise<void> {
    const ids = records.map((r) => r.key);
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      await this.redis.xdel(this.stream, ...ids.slice(i, i + DELETE_CHUNK));
    }
  }

  /** Nothing is held: XRANGE reads do not lock or consume anything. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
