import { SpanKind, trace } from '@opentelemetry/api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentRedisStreams, processRedisStreamEntry } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing } from './support/tracing.js';

const gate = await brokerGate('redis');

const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const QUEUE_DELAY_MS = 250;

type Entry = [id: string, fields: string[]];
type Reply = [stream: string, entries: Entry[]][] | null;

describe.skipIf(gate.skip)('Redis Streams through a real Redis', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const bare = new Redis({ host: BROKERS.redis.host, port: BROKERS.redis.port, lazyConnect: true });
  const redis = instrumentRedisStreams(bare, {
    tracerProvider: tracing.provider,
    meterProvider: metrics.provider,
    serviceName: 'redis-producer',
  });
  const stream = uniqueName('stream');
  const other = uniqueName('stream-b');
  const group = 'billing';

  beforeAll(async () => {
    await bare.connect();
    await bare.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
    await bare.xgroup('CREATE', other, group, '0', 'MKSTREAM');
  });

  afterAll(async () => {
    await bare.del(stream, other).catch(() => {});
    bare.disconnect();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('carries the trace as entry fields through XADD, XREADGROUP, process and XACK', async () => {
    const id = await redis.xadd(stream, 'MAXLEN', '~', '1000', '*', 'order', '42');
    await new Promise((resolve) => setTimeout(resolve, QUEUE_DELAY_MS));
    const reply = (await redis.xreadgroup(
      'GROUP',
      group,
      'c1',
      'COUNT',
      10,
      'STREAMS',
      stream,
      '>',
    )) as Reply;
    const entry = reply?.[0]?.[1][0];
    if (!entry) throw new Error('no entry');
    expect(entry[0]).toBe(id);
    const [fields] = [entry[1]];
    expect(fields.slice(0, 2)).toEqual(['order', '42']);
    expect(fields).toContain('traceparent');
    expect(fields).toContain('signalbox-pathway');

    let traceIdInHandler: string | undefined;
    await processRedisStreamEntry(entry, async () => {
      traceIdInHandler = trace.getActiveSpan()?.spanContext().traceId;
      await redis.xack(stream, group, entry[0]);
    });

    const send = tracing.spans().find((s) => s.name === `send ${stream}`);
    const receive = tracing.spans().find((s) => s.name === `receive ${stream}`);
    const processed = tracing.spans().find((s) => s.name === `process ${stream}`);
    const ack = tracing.spans().find((s) => s.name === `ack ${stream}`);
    if (!send || !receive || !processed || !ack) throw new Error('missing spans');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'redis',
      'messaging.destination.name': stream,
      'messaging.message.id': id,
    });
    expect(receive.kind).toBe(SpanKind.CLIENT);
    expect(receive.attributes).toMatchObject({
      'messaging.operation.type': 'receive',
      'messaging.consumer.group.name': group,
      'messaging.client.id': 'c1',
    });
    expect(sameSpan(receive.links[0]?.context, send.spanContext())).toBe(true);
    expect(processed.attributes).toMatchObject({
      'messaging.message.id': id,
      'messaging.consumer.group.name': group,
    });
    expect(sameSpan(processed.links[0]?.context, send.spanContext())).toBe(true);
    expect(traceIdInHandler).toBe(processed.spanContext().traceId);
    expect(ack.kind).toBe(SpanKind.CLIENT);
    expect(ack.parentSpanContext?.spanId).toBe(processed.spanContext().spanId);
    expect(sameSpan(ack.links[0]?.context, send.spanContext())).toBe(true);

    const hash = pathwayHash('', 'redis-producer', 'redis', stream);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(1);
    expect(edge?.attributes['messaging.consumer.group.name']).toBe(group);
    expect(edge?.histogram?.sum ?? 0).toBeGreaterThanOrEqual(QUEUE_DELAY_MS / 1000);
    expect((await bare.xpending(stream, group))[0]).toBe(0);
  });

  it('counts pending re-reads and XAUTOCLAIM as redeliveries', async () => {
    tracing.reset();
    await redis.xadd(stream, '*', 'order', '43');
    await redis.xreadgroup('GROUP', group, 'c1', 'STREAMS', stream, '>');
    // Re-reading own pending entries (id 0), then another consumer claiming them.
    const again = (await redis.xreadgroup('GROUP', group, 'c1', 'STREAMS', stream, '0')) as Reply;
    expect(again?.[0]?.[1]).toHaveLength(1);
    const claimed = (await redis.xautoclaim(stream, group, 'c2', 0, '0-0')) as [string, Entry[], string[]];
    expect(claimed[1]).toHaveLength(1);
    const entry = claimed[1][0];
    if (!entry) throw new Error('nothing claimed');
    processRedisStreamEntry(entry, () => undefined);
    await redis.xack(stream, group, entry[0]);

    const redeliveries = await metrics.points('signalbox.messaging.redeliveries');
    expect(redeliveries.find((p) => p.attributes['messaging.destination.name'] === stream)?.value).toBe(2);
    const receives = tracing.spans().filter((s) => s.name === `receive ${stream}`);
    expect(receives).toHaveLength(3);
    expect(receives.every((r) => r.links.length === 1)).toBe(true);
  });

  it('gives each stream of a multi-stream read its own receive span, also for Buffer replies', async () => {
    tracing.reset();
    await redis.xadd(stream, '*', 'n', '1');
    await redis.xadd(other, '*', 'n', '2');
    const reply = await redis.xreadgroupBuffer('GROUP', group, 'c3', 'STREAMS', stream, other, '>', '>');
    expect(reply).toHaveLength(2);
    const names = tracing
      .spans()
      .filter((s) => s.attributes['messaging.operation.type'] === 'receive')
      .map((s) => s.name)
      .sort();
    expect(names).toEqual([`receive ${other}`, `receive ${stream}`].sort());
    const sends = tracing.spans().filter((s) => s.name.startsWith('send '));
    for (const receive of tracing.spans().filter((s) => s.name.startsWith('receive '))) {
      expect(sends.some((send) => sameSpan(receive.links[0]?.context, send.spanContext()))).toBe(true);
    }
  });

  it('keeps a traceparent field the caller set, and instruments the callback form', async () => {
    tracing.reset();
    const id = await new Promise<string | null | undefined>((resolve, reject) => {
      void redis.xadd(stream, '*', 'traceparent', VALID_TRACEPARENT, (err, result) =>
        err ? reject(err) : resolve(result),
      );
    });
    const [entry] = await bare.xrange(stream, id ?? '', id ?? '');
    const fields = entry?.[1] ?? [];
    expect(fields.filter((f) => f === 'traceparent')).toHaveLength(1);
    expect(fields[fields.indexOf('traceparent') + 1]).toBe(VALID_TRACEPARENT);
    const send = tracing.spans().find((s) => s.name === `send ${stream}`);
    expect(send?.attributes['messaging.message.id']).toBe(id);
    expect(send?.links[0]?.context.spanId).toBe('b7ad6b7169203331');
  });
});
