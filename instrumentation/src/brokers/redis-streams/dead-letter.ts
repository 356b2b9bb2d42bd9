import type { Redis } from 'ioredis';
import { isDeadLetterHeader } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_REDIS } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';

/** A Redis Streams entry as XREADGROUP / XAUTOCLAIM return it. */
export interface RedisStreamEntry {
  /** The stream key it was read from. */
  stream: string;
  /** Its entry id (`<ms>-<seq>`). */
  id: string;
  /** Its fields: the flat `[name, value, ...]` list ioredis returns, or an object. */
  fields: readonly (string | Buffer)[] | Record<string, string | Buffer>;
}

/** Options of {@link deadLetterRedisStream}. */
export interface RedisDeadLetterOptions extends DeadLetterOptions {
  /** Dead-letter stream key. Defaults to `<stream>:dlq`. */
  deadLetterStream?: string;
  /** Consumer group that failed, recorded as the source. */
  group?: string;
  /**
   * Delivery count from XPENDING or XAUTOCLAIM, used as this round's
   * attempts when `attempts` is not given.
   */
  deliveryCount?: number;
}

export interface RedisDeadLetterResult extends DeadLetterResult {
  /** Entry id of the copy in the dead-letter stream. */
  entryId: string;
}

/** Default dead-letter stream for `stream`. */
export const redisDeadLetterStream = (stream: string) => `${stream}:dlq`;

function fieldPairs(fields: RedisStreamEntry['fields']): [string | Buffer, string | Buffer][] {
  const pairs: [string | Buffer, string | Buffer][] = [];
  if (typeof fields !== 'object' || fields === null) {
    throw new TypeError('deadLetterRedisStream: entry.fields must be the field list XREADGROUP returned');
  }
  if (Array.isArray(fields)) {
    const list = fields as readonly (string | Buffer)[];
    for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i] ?? '', list[i + 1] ?? '']);
  } else {
    for (const [name, value] of Object.entries(fields)) pairs.push([name, value]);
  }
  return pairs;
}

/**
 * Appends a failed Redis Streams entry to a dead-letter stream (XADD, no
 * trimming: MAXLEN would silently drop dead letters): its fields plus the
 * Signalbox `signalbox-dlq-*` set as fields, recording the original stream,
 * entry id and group.
 *
 * XACK the original only after this resolves: it rejects with the Redis
 * error when the copy was not added.
 */
export async function deadLetterRedisStream(
  redis: Redis,
  entry: RedisStreamEntry,
  options: RedisDeadLetterOptions,
): Promise<RedisDeadLetterResult> {
  const pairs = fieldPairs(entry.fields);
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_REDIS,
      destination: entry.stream,
      offset: entry.id,
      consumerGroup: options.group,
      headers: pairs,
      deliveryCount: options.deliveryCount,
    },
    options,
  );
  const args: (string | Buffer)[] = [];
  for (const [name, value] of pairs) {
    if (!isDeadLetterHeader(typeof name === 'string' ? name : name.toString('utf8'))) args.push(name, value);
  }
  for (const [name, value] of Object.entries(prepared.headers)) args.push(name, value);
  const dlq = options.deadLetterStream ?? redisDeadLetterStream(entry.stream);

  const entryId = await withDeadLetterTelemetry(options, prepared.record, dlq, async () => {
    const id = await redis.xadd(dlq, '*', ...args);
    if (id === null) throw new Error(`Redis did not add the dead letter to '${dlq}'`);
    return id;
  });
  return { id: prepared.record.id, deadLetterDestination: dlq, headers: prepared.headers, entryId };
}
