import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { recordSpans, toJson, toProtobuf } from '@/lib/testing/otlp-fixtures';
import { type DecodedSpan, OtlpDecodeError } from '@/lib/model/telemetry';
import { decodeTracesJson } from './otlp-json';
import { decodeTracesProtobuf } from './otlp-proto';

// Spans covering every attribute type, a parent, a link and an error status,
// serialized by the OpenTelemetry SDK's own OTLP serializers.
const START_MS = 1_763_700_000_123;
const spans = recordSpans('billing', (tracer) => {
  const producer = tracer.startSpan('send orders', { kind: SpanKind.PRODUCER, startTime: START_MS });
  producer.end(START_MS + 1);
  const parent = tracer.startSpan('parent', { startTime: START_MS });
  const child = tracer.startSpan(
    'process orders',
    {
      kind: SpanKind.CONSUMER,
      startTime: START_MS + 5,
      links: [{ context: producer.spanContext() }],
      attributes: {
        'messaging.system': 'kafka',
        'messaging.kafka.offset': 42,
        'messaging.batch.message_count': 3,
        ratio: 0.25,
        flag: true,
        tags: ['a', 'b'],
      },
    },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  child.end(START_MS + 7.5);
  parent.end(START_MS + 10);
});

function byName(decoded: DecodedSpan[], name: string): DecodedSpan {
  const span = decoded.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name}`);
  return span;
}

describe.each([
  ['protobuf', () => decodeTracesProtobuf(toProtobuf(spans))],
  ['json', () => decodeTracesJson(toJson(spans))],
])('OTLP %s decoding of SDK-serialized spans', (_encoding, decode) => {
  it('keeps ids, kind, times, attributes, resource, links and status', () => {
    const decoded = decode();
    expect(decoded).toHaveLength(3);
    const producer = byName(decoded, 'send orders');
    const consumer = byName(decoded, 'process orders');
    const sdkProducer = spans.find((s) => s.name === 'send orders')!;
    const sdkConsumer = spans.find((s) => s.name === 'process orders')!;

    expect(producer.traceId).toBe(sdkProducer.spanContext().traceId);
    expect(producer.spanId).toBe(sdkProducer.spanContext().spanId);
    expect(producer.kind).toBe(4);
    expect(producer.startTimeUs).toBe(START_MS * 1000);
    expect(producer.endTimeUs).toBe((START_MS + 1) * 1000);
    expect(producer.parentSpanId).toBeNull();

    expect(consumer.spanId).toBe(sdkConsumer.spanContext().spanId);
    expect(consumer.kind).toBe(5);
    expect(consumer.parentSpanId).toBe(byName(decoded, 'parent').spanId);
    expect(consumer.endTimeUs - consumer.startTimeUs).toBe(2500);
    expect(consumer.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.kafka.offset': 42,
      'messaging.batch.message_count': 3,
      ratio: 0.25,
      flag: true,
      tags: ['a', 'b'],
    });
    expect(consumer.resource['service.name']).toBe('billing');
    expect(consumer.links).toEqual([
      { traceId: sdkProducer.spanContext().traceId, spanId: sdkProducer.spanContext().spanId },
    ]);
    expect(consumer.statusCode).toBe(2);
    expect(consumer.statusMessage).toBe('boom');
  });
});

describe('malformed OTLP JSON', () => {
  const valid = JSON.parse(toJson(spans)) as {
    resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  const withSpan = (patch: Record<string, unknown>) => {
    const copy = structuredClone(valid);
    Object.assign(copy.resourceSpans[0]!.scopeSpans[0]!.spans[0]!, patch);
    return JSON.stringify(copy);
  };

  it.each([
    ['not JSON', '{"resourceSpans": [', /not valid JSON/],
    ['a top-level array', '[]', /body: expected an object/],
    ['resourceSpans not an array', '{"resourceSpans": 5}', /resourceSpans: expected an array/],
    ['a short trace id', withSpan({ traceId: 'abc' }), /spans\[0\]\.traceId: expected 32 hex/],
    ['a non-hex span id', withSpan({ spanId: 'zzzzzzzzzzzzzzzz' }), /spanId: expected 16 hex/],
    ['a time that is not an integer', withSpan({ startTimeUnixNano: 'yesterday' }), /startTimeUnixNano/],
    ['attributes not an array', withSpan({ attributes: { a: 1 } }), /attributes: expected an array/],
    [
      'a bool attribute that is not a bool',
      withSpan({ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }),
      /boolValue/,
    ],
  ])('rejects %s with the path of the problem', (_name, body, message) => {
    expect(() => decodeTracesJson(body)).toThrow(OtlpDecodeError);
    expect(() => decodeTracesJson(body)).toThrow(message);
  });

  it('accepts an empty export', () => {
    expect(decodeTracesJson('{}')).toEqual([]);
    expect(decodeTracesJson('{"resourceSpans":[]}')).toEqual([]);
  });
});

describe('malformed OTLP protobuf', () => {
  it('rejects bytes that are not a protobuf message', () => {
    expect(() => decodeTracesProtobuf(Buffer.from('definitely not protobuf, just text'))).toThrow(
      OtlpDecodeError,
    );
  });

  it('rejects a truncated body', () => {
    const body = toProtobuf(spans);
    expect(() => decodeTracesProtobuf(body.subarray(0, body.length - 7))).toThrow(OtlpDecodeError);
  });

  it('rejects a span id of the wrong length', () => {
    // Field 1 (resource_spans) > field 2 (scope_spans) > field 2 (spans) > trace_id 16 bytes, span_id 3 bytes.
    const span = Buffer.concat([
      Buffer.from([0x0a, 16]),
      Buffer.alloc(16, 1),
      Buffer.from([0x12, 3, 1, 2, 3]),
    ]);
    const scope = Buffer.concat([Buffer.from([0x12, span.length]), span]);
    const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const body = Buffer.concat([Buffer.from([0x0a, resource.length]), resource]);
    expect(() => decodeTracesProtobuf(body)).toThrow(/spanId must be 8 bytes/);
  });
});
