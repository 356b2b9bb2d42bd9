import { context, type Link, type SpanContext } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { bypassContrib } from '../../messaging/coexist.js';
import { delegate } from '../../delegate.js';
import { beginProcess, beginReceive, type ReceiveOperation } from '../../messaging/consume.js';
import type { Delivery } from '../../messaging/delivery.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import { recordSettle } from '../../messaging/settle.js';
import { TwoGenerationMap } from '../../messaging/two-generation-map.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { redisFieldsCarrier } from './fields.js';
import { ATTR_MESSAGING_BATCH_MESSAGE_COUNT, ATTR_MESSAGING_MESSAGE_ID } from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';
import {
  parseXadd,
  parseXreadgroup,
  tokenText,
  xautoclaimEntries,
  xreadgroupEntries,
  type StreamEntry,
} from './commands.js';

/**
 * `messaging.system` for Redis Streams. The conventions have no value for
 * Redis (`redis` is a `db.system.name`); this custom value is what the
 * dashboard and the dead-letter helpers use.
 */
export const MESSAGING_SYSTEM_REDIS = 'redis';

// Semconv: the consuming client's id; a Redis consumer name within its group.
const ATTR_MESSAGING_CLIENT_ID = 'messaging.client.id';

interface Tracked {
  runtime: MessagingRuntime;
  info: MessagingSpanInfo;
  delivery: Delivery;
}

// Entries handed out by a wrapped client, for processRedisStreamEntry.
const tracked = new WeakMap<object, Tracked>();

// stream/group/id → creation context, so XACK (which only names ids) can link
// its settle span to the producers. Bounded: entries that are never
// acknowledged must not grow memory; each is kept for at least MAX_PENDING
// newer ones.
const MAX_PENDING = 10_000;
const pending = new TwoGenerationMap<string, SpanContext>(MAX_PENDING);
const pendingKey = (stream: string, group: string, id: string) => `${stream}\u0000${group}\u0000${id}`;
function remember(key: string, creation: SpanContext | undefined) {
  if (creation) pending.set(key, creation);
}

type Command = (...args: unknown[]) => Promise<unknown>;

/**
 * Calls an ioredis command under `operations`, in promise or callback form,
 * handing the reply to `onReply` before the operations end. With a callback
 * the returned promise is passed back untouched (ioredis settles both), so no
 * derived promise can reject unhandled.
 */
function call(
  command: Command,
  args: unknown[],
  operations: readonly MessagingOperation[],
  onReply: (reply: unknown) => void,
): Promise<unknown> {
  const ctx = operations.length === 1 && operations[0] ? operations[0].context : context.active();
  const read = (reply: unknown) => guarded('redis reply instrumentation', () => onReply(reply));
  const finish = (err: unknown) => {
    for (const op of operations) {
      if (err) op.fail(err);
      else op.end();
    }
  };
  const callback = args.at(-1);
  if (typeof callback === 'function') {
    const wrapped = (err: unknown, reply: unknown) => {
      if (!err) read(reply);
      finish(err);
      return (callback as (err: unknown, reply: unknown) => unknown)(err, reply);
    };
    try {
      return context.with(ctx, () => command(...args.slice(0, -1), wrapped));
    } catch (err) {
      finish(err);
      throw err;
    }
  }
  let promise: Promise<unknown>;
  try {
    promise = context.with(ctx, () => command(...args));
  } catch (err) {
    finish(err);
    throw err;
  }
  return promise.then(
    (reply) => {
      read(reply);
      finish(undefined);
      return reply;
    },
    (err: unknown) => {
      finish(err);
      throw err;
    },
  );
}

function streamInfo(
  runtime: MessagingRuntime,
  key: string,
  group?: string,
  consumer?: string,
): MessagingSpanInfo {
  const info: MessagingSpanInfo = {
    system: MESSAGING_SYSTEM_REDIS,
    destination: key,
    server: runtime.server,
  };
  if (group !== undefined) info.consumerGroup = group;
  if (consumer !== undefined) info.attributes = { [ATTR_MESSAGING_CLIENT_ID]: consumer };
  return info;
}

function xadd(runtime: MessagingRuntime, command: Command, args: unknown[]): Promise<unknown> {
  const flat = args.flat();
  const callback = typeof flat.at(-1) === 'function' ? flat.pop() : undefined;
  const prepared = guarded(
    'redis xadd instrumentation',
    () => {
      const parsed = parseXadd(flat);
      if (!parsed) return undefined;
      const fields = [...parsed.fields];
      const operation = beginSend(runtime, streamInfo(runtime, parsed.key), [redisFieldsCarrier(fields)]);
      return { operation, args: [...parsed.head, ...fields] };
    },
    undefined,
  );
  if (!prepared) return command(...args);
  const { operation } = prepared;
  return call(command, callback ? [...prepared.args, callback] : prepared.args, [operation], (reply) => {
    const id = tokenText(reply);
    if (id !== undefined) operation.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, id);
  });
}

/** Reports one stream's entries to its receive operation and tracks them for processing and XACK. */
function received(
  runtime: MessagingRuntime,
  operation: ReceiveOperation,
  info: MessagingSpanInfo,
  key: string,
  group: string,
  entries: StreamEntry[],
  redelivered: boolean,
) {
  const deliveries = operation.received(
    entries.map(([, fields]) => redisFieldsCarrier(fields)),
    entries.map(() => ({ redelivered })),
  );
  entries.forEach((entry, i) => {
    const delivery = deliveries[i];
    const id = tokenText(entry[0]);
    if (!delivery || id === undefined) return;
    const entryInfo = Object.assign({}, info, {
      attributes: Object.assign({}, info.attributes, { [ATTR_MESSAGING_MESSAGE_ID]: id }),
    });
    tracked.set(entry, { runtime, info: entryInfo, delivery });
    remember(pendingKey(key, group, id), delivery.creationContext);
  });
}

function xreadgroup(runtime: MessagingRuntime, command: Command, args: unknown[]): Promise<unknown> {
  const flat = args.flat();
  const prepared = guarded(
    'redis xreadgroup instrumentation',
    () => {
      const parsed = parseXreadgroup(typeof flat.at(-1) === 'function' ? flat.slice(0, -1) : flat);
      if (!parsed) return undefined;
      const reads = parsed.streams.map((stream) => {
        const info = streamInfo(runtime, stream.key, parsed.group, parsed.consumer);
        // An id other than `>` re-reads this consumer's own pending entries: deliveries seen before.
        return { ...stream, info, operation: beginReceive(runtime, info) };
      });
      return { group: parsed.group, reads };
    },
    undefined,
  );
  if (!prepared) return command(...args);
  return call(
    command,
    flat,
    prepared.reads.map((read) => read.operation),
    (reply) => {
      const byStream = xreadgroupEntries(reply);
      for (const read of prepared.reads) {
        const entries = byStream.get(read.key) ?? [];
        received(runtime, read.operation, read.info, read.key, prepared.group, entries, read.id !== '>');
      }
    },
  );
}

function xautoclaim(runtime: MessagingRuntime, command: Command, args: unknown[]): Promise<unknown> {
  const flat = args.flat();
  const prepared = guarded(
    'redis xautoclaim instrumentation',
    () => {
      const [key, group, consumer] = flat.slice(0, 3).map(tokenText);
      if (key === undefined || group === undefined || consumer === undefined) return undefined;
      const info = streamInfo(runtime, key, group, consumer);
      return { key, group, info, operation: beginReceive(runtime, info) };
    },
    undefined,
  );
  if (!prepared) return command(...args);
  const { key, group, info, operation } = prepared;
  // Claimed entries were delivered before, to a consumer that never acknowledged them.
  return call(command, flat, [operation], (reply) =>
    received(runtime, operation, info, key, group, xautoclaimEntries(reply), true),
  );
}

function xack(runtime: MessagingRuntime, command: Command, args: unknown[]): Promise<unknown> {
  const flat = args.flat();
  const operation = guarded(
    'redis xack instrumentation',
    () => {
      const withoutCallback = typeof flat.at(-1) === 'function' ? flat.slice(0, -1) : flat;
      const [key, group] = withoutCallback.slice(0, 2).map(tokenText);
      if (key === undefined || group === undefined) return undefined;
      const ids = withoutCallback.slice(2).map(tokenText);
      const creations = ids.map((id) => {
        if (id === undefined) return undefined;
        const creation = pending.get(pendingKey(key, group, id));
        pending.delete(pendingKey(key, group, id));
        return creation;
      });
      const info = streamInfo(runtime, key, group);
      if (ids.length > 1) {
        info.attributes = { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: ids.length };
        info.links = creations
          .filter((c): c is SpanContext => c !== undefined)
          .map((c): Link => ({ context: c }));
      }
      return recordSettle(runtime, info, 'ack', ids.length === 1 ? creations[0] : undefined);
    },
    undefined,
  );
  if (!operation) return command(...args);
  return call(command, flat, [operation], () => {});
}

/** Options of {@link instrumentRedisStreams}. */
export type RedisStreamsInstrumentationOptions = MessagingInstrumentationOptions;

/**
 * Wraps an ioredis client so that its Redis Streams commands are
 * instrumented, without patching it:
 * - `xadd`: a PRODUCER `send {stream}` span; `traceparent` (+ `tracestate`)
 *   and `signalbox-pathway` are added as entry fields (after yours; a
 *   `traceparent` field you set is kept);
 * - `xreadgroup` / `xreadgroupBuffer`: a CLIENT `receive {stream}` span per
 *   stream read, linked to each entry's producer; re-reading pending entries
 *   (an id other than `>`) counts as redelivery;
 * - `xautoclaim`: a `receive` span whose entries all count as redeliveries;
 * - `xack`: a CLIENT `ack {stream}` settle span.
 * Run each entry's handler with {@link processRedisStreamEntry} for its
 * process span. Everything else (including pipelines and MULTI) passes
 * through uninstrumented.
 */
export function instrumentRedisStreams<T extends Redis>(
  redis: T,
  options?: RedisStreamsInstrumentationOptions,
): T {
  return wrapOnce(redis, 'ioredis client', () => {
    const runtime = resolveRuntime(options);
    // The client's own command, beneath any auto-instrumentation patch: traced here only.
    const original = (name: string): Command =>
      bypassContrib(redis as unknown as Record<string, Command>, name);
    const overrides: Record<string, Command> = {};
    const wrap = (
      name: string,
      fn: (runtime: MessagingRuntime, command: Command, args: unknown[]) => Promise<unknown>,
    ) => {
      if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') return;
      const command = original(name);
      overrides[name] = (...args: unknown[]) => fn(runtime, command, args);
    };
    wrap('xadd', xadd);
    wrap('xaddBuffer', xadd);
    wrap('xreadgroup', xreadgroup);
    wrap('xreadgroupBuffer', xreadgroup);
    wrap('xautoclaim', xautoclaim);
    wrap('xautoclaimBuffer', xautoclaim);
    wrap('xack', xack);
    return delegate<Redis>(redis, { ...overrides, ...wrapperOf(redis) }) as T;
  });
}

/**
 * Runs `handler` for an entry returned by `xreadgroup`/`xautoclaim` on a
 * wrapped client (the `[id, fields]` array) inside its own CONSUMER
 * `process {stream}` span, linked to (or, per parentMode, parented on) the
 * producer, so sends in the handler continue its pathway. For other entries
 * it just calls `handler`. Returns what `handler` returns; errors are
 * recorded and rethrown unchanged.
 */
export function processRedisStreamEntry<T>(entry: readonly unknown[], handler: () => T): T {
  const state = guarded('redis entry lookup', () => tracked.get(entry), undefined);
  if (!state) return handler();
  const operation = guarded(
    'redis process instrumentation',
    () => beginProcess(state.runtime, state.info, redisFieldsCarrier(entry[1]), { delivery: state.delivery }),
    undefined,
  );
  return operation ? operation.run(handler) : handler();
}
