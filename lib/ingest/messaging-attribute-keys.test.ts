import { describe, expect, it } from 'vitest';
import { SPANS_PER_BATCH, buildBatches } from '@/bench/ingest/workload';
import type { Attributes, DecodedSpan } from '@/lib/model/telemetry';
import {
  DEAD_LETTER_KEY_PREFIXES,
  MESSAGING_ATTRIBUTES,
  MESSAGING_RESOURCE_KEYS,
  MESSAGING_SPAN_KEYS,
} from './messaging-attribute-keys';
import { toMessagingSpan } from './messaging-span';
import { decodeTracesProtobuf } from './otlp-proto';
import { ExportTraceServiceRequest } from './otlp-proto-schema';
import { foreignProtobuf, newSpanId, newTraceId } from './testing/foreign-spans';
import { mutateProtobuf, prng } from './testing/mutations';

/** An attribute map that records every key read from it. */
function recording(attributes: Attributes, read: Set<string>): Attributes {
  return new Proxy(attributes, {
    get(target, key) {
      if (typeof key === 'string') read.add(key);
      return target[key as string];
    },
  });
}

function spanWith(attributes: Attributes, resource: Attributes, kind = 5): DecodedSpan {
  return {
    traceId: newTraceId(),
    spanId: newSpanId(),
    parentSpanId: null,
    name: 'process orders',
    kind,
    startTimeUs: Date.now() * 1000,
    endTimeUs: Date.now() * 1000 + 5,
    attributes,
    resource,
    links: [],
    statusCode: 0,
    statusMessage: null,
    rawAttributes: Buffer.alloc(0),
  };
}

/**
 * A small export whose unread attributes hold every AnyValue type, nested
 * arrays and key-value lists included: what the skipping decoder must still
 * walk and validate.
 */
function richExport(): Uint8Array {
  const id = (hex: string) => Buffer.from(hex, 'hex');
  const span = (name: string, kind: number, extra: object[]) => ({
    traceId: id(newTraceId()),
    spanId: id(newSpanId()),
    name,
    kind,
    startTimeUnixNano: '1763700000000000000',
    endTimeUnixNano: '1763700000002000000',
    attributes: [
      { key: 'messaging.system', value: { stringValue: 'rabbitmq' } },
      { key: 'messaging.destination.name', value: { stringValue: 'payments' } },
      { key: 'messaging.kafka.offset', value: { intValue: '77' } },
      { key: 'messaging.rabbitmq.message.redelivered', value: { boolValue: true } },
      ...extra,
    ],
    links: [{ traceId: id(newTraceId()), spanId: id(newSpanId()) }],
  });
  const unread = [
    {
      key: 'http.request.header.x',
      value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 3 }] } },
    },
    {
      key: 'app.nested',
      value: {
        kvlistValue: {
          values: [
            {
              key: 'inner',
              value: { arrayValue: { values: [{ doubleValue: 0.5 }, { bytesValue: id('beef') }] } },
            },
            { key: 'flag', value: { boolValue: false } },
          ],
        },
      },
    },
    { key: 'app.ratio', value: { doubleValue: 0.25 } },
    { key: 'app.blob', value: { bytesValue: id('00ff') } },
  ];
  return ExportTraceServiceRequest.encode(
    ExportTraceServiceRequest.fromObject({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'payments-worker' } },
              { key: 'host.name', value: { stringValue: 'ip-10-0-0-1' } },
            ],
          },
          scopeSpans: [
            { spans: [span('send payments', 4, unread), span('process payments', 5, unread.slice(1))] },
          ],
        },
      ],
    }),
  ).finish();
}

describe('the attribute keys the ingest decoder keeps', () => {
  it('include every key the messaging mapping reads', () => {
    const spanKeys = new Set<string>();
    const resourceKeys = new Set<string>();
    // Only the system set: every fallback key of every field is then looked up.
    for (const kind of [4, 5, 1]) {
      toMessagingSpan(
        spanWith(recording({ 'messaging.system': 'kafka' }, spanKeys), recording({}, resourceKeys), kind),
      );
    }
    const kept = new Set(MESSAGING_SPAN_KEYS.map(([key]) => key));
    expect([...spanKeys].filter((key) => !kept.has(key))).toEqual([]);
    expect([...resourceKeys]).toEqual(MESSAGING_RESOURCE_KEYS.map(([key]) => key));
  });

  it('map every span the same as a full decode: SDK spans and other SDKs\u2019 shapes, incl. dead-letter prefixes', () => {
    const traceId = newTraceId();
    const foreign = foreignProtobuf({
      'celery-worker': [
        {
          traceId,
          spanId: newSpanId(),
          name: 'run tasks.charge',
          kind: 5,
          startMs: Date.now(),
          durationMs: 3,
          attributes: { 'celery.action': 'run', 'celery.retries': 2, 'celery.routing_key': 'billing' },
        },
      ],
      'java-orders': [
        {
          traceId,
          spanId: newSpanId(),
          name: 'orders.DLT publish',
          kind: 4,
          startMs: Date.now(),
          durationMs: 1,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation': 'publish',
            'messaging.destination': 'orders.DLT',
            'messaging.kafka.consumer_group': 'g1',
            [`${DEAD_LETTER_KEY_PREFIXES[1]}reason`]: 'poison',
            'http.url': 'not read by the mapping',
          },
          error: 'boom',
        },
      ],
    });
    for (const body of [...buildBatches(2), foreign, richExport()]) {
      const full = decodeTracesProtobuf(body).map(toMessagingSpan);
      const selective = decodeTracesProtobuf(body, MESSAGING_ATTRIBUTES).map(toMessagingSpan);
      expect(selective).toEqual(full);
      expect(selective.filter((s) => s !== null).length).toBeGreaterThan(0);
    }
    const [, dlq] = decodeTracesProtobuf(foreign, MESSAGING_ATTRIBUTES).map(toMessagingSpan);
    expect(dlq?.deadLetter).toBe(true);
  });

  it('skip unread attributes without decoding them, but still refuse the same malformed bodies', () => {
    const valid = richExport();
    const rand = prng(4242);
    let refused = 0;
    const differing: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const body = mutateProtobuf(valid, rand);
      const outcome = (selection: typeof MESSAGING_ATTRIBUTES | null) => {
        try {
          return JSON.stringify(decodeTracesProtobuf(body, selection).map(toMessagingSpan));
        } catch (error) {
          return (error as Error).name;
        }
      };
      const full = outcome(null);
      if (outcome(MESSAGING_ATTRIBUTES) !== full) differing.push(i);
      if (!full.startsWith('[')) refused++;
    }
    expect(differing).toEqual([]);
    expect(refused).toBeGreaterThan(100);
    const [span] = decodeTracesProtobuf(valid, MESSAGING_ATTRIBUTES);
    expect(Object.keys(span!.attributes).sort()).toEqual([
      'messaging.destination.name',
      'messaging.kafka.offset',
      'messaging.rabbitmq.message.redelivered',
      'messaging.system',
    ]);
    expect(span!.resource).toEqual({ 'service.name': 'payments-worker' });
    // Everything is still stored, as it arrived.
    expect(decodeTracesProtobuf(valid)[0]!.rawAttributes).toEqual(span!.rawAttributes);
    const [batch] = buildBatches(1);
    expect(decodeTracesProtobuf(batch!, MESSAGING_ATTRIBUTES)).toHaveLength(SPANS_PER_BATCH);
  }, 30_000);
});
