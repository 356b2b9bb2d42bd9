import { context, diag, DiagLogLevel, trace, type Context, type DiagLogger } from '@opentelemetry/api';
import { headers as natsHeaders, MsgHdrsImpl } from '@nats-io/nats-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  bullmqMetadataCarrier,
  extractContext,
  injectContext,
  mqttUserPropertiesCarrier,
  natsHeadersCarrier,
  parseBullmqMetadata,
  prepareSqsAttributes,
  redisFieldsCarrier,
  sqsAttributesCarrier,
  type MessageCarrier,
  type SqsMessageAttributes,
} from '../src/index.js';
import { traceparentFromAwsTraceHeader } from '../src/brokers/sqs/xray-trace-header.js';
import { VALID_TRACEPARENT } from './support/hostile-values.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());

function withSpan(fn: (ctx: Context) => void) {
  const span = tracing.tracer.startSpan('producer');
  fn(trace.setSpan(context.active(), span));
  span.end();
  return span.spanContext();
}

const extracted = (carrier: MessageCarrier) => trace.getSpanContext(extractContext(carrier));

function captureWarnings() {
  const warnings: string[] = [];
  const logger: DiagLogger = {
    error: () => {},
    info: () => {},
    debug: () => {},
    verbose: () => {},
    warn: (message: string) => warnings.push(message),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return warnings;
}
afterEach(() => diag.disable());

const attrs = (count: number): SqsMessageAttributes =>
  Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`app-${i}`, { DataType: 'String', StringValue: `${i}` }]),
  );

describe('SQS message attributes', () => {
  it('adds one String attribute per field to a copy when they fit', () => {
    const original = attrs(3);
    let sent = trace.getSpanContext(context.active());
    const prepared = prepareSqsAttributes(original, (carrier) => {
      sent = withSpan((ctx) => injectContext(carrier, ctx));
      carrier.set('signalbox-pathway', '1:0123456789abcdef:1:1:1');
    });
    expect(prepared.placement).toBe('attributes');
    expect(Object.keys(original)).toHaveLength(3);
    expect(prepared.attributes?.traceparent?.DataType).toBe('String');
    expect(prepared.attributes?.traceparent?.StringValue).toMatch(/^00-/);
    expect(prepared.attributes?.['signalbox-pathway']?.StringValue).toBe('1:0123456789abcdef:1:1:1');
    expect(extracted(sqsAttributesCarrier(prepared.attributes))?.spanId).toBe(sent?.spanId);
  });

  it('packs the fields into one attribute with a warning when they would exceed 10', () => {
    const warnings = captureWarnings();
    const prepared = prepareSqsAttributes(attrs(8), (carrier) => {
      carrier.set('traceparent', VALID_TRACEPARENT);
      carrier.set('tracestate', 'vendor=1');
      carrier.set('signalbox-pathway', '1:0123456789abcdef:1:1:1');
    });
    expect(prepared.placement).toBe('packed');
    expect(Object.keys(prepared.attributes ?? {})).toHaveLength(9);
    expect(warnings.join('\n')).toMatch(/packed into the single attribute "signalbox-context"/);
    // Once per process: the cause repeats on every send.
    prepareSqsAttributes(attrs(9), (carrier) => carrier.set('traceparent', VALID_TRACEPARENT));
    expect(warnings.filter((w) => w.includes('packed'))).toHaveLength(1);

    const reader = sqsAttributesCarrier(prepared.attributes);
    expect(reader.get('traceparent')).toBe(VALID_TRACEPARENT);
    expect(reader.get('tracestate')).toBe('vendor=1');
    expect(reader.get('signalbox-pathway')).toBe('1:0123456789abcdef:1:1:1');
    expect(extracted(reader)?.spanId).toBe('b7ad6b7169203331');
  });

  it('warns, and leaves the attributes untouched, when all 10 are already used', () => {
    const warnings = captureWarnings();
    const original = attrs(10);
    const prepared = prepareSqsAttributes(original, (carrier) =>
      carrier.set('traceparent', VALID_TRACEPARENT),
    );
    expect(prepared.placement).toBe('dropped');
    expect(prepared.attributes).toBe(original);
    expect(warnings.join('\n')).toMatch(/NOT propagated/);
  });

  it('never overwrites a traceparent the caller set, packed or not', () => {
    const forms: SqsMessageAttributes[] = [
      { traceparent: { DataType: 'String', StringValue: VALID_TRACEPARENT } },
      {
        'signalbox-context': {
          DataType: 'String',
          StringValue: JSON.stringify({ traceparent: VALID_TRACEPARENT }),
        },
      },
    ];
    for (const existing of forms) {
      const prepared = prepareSqsAttributes(existing, (carrier) =>
        withSpan((ctx) => expect(injectContext(carrier, ctx).preserved).toBe(true)),
      );
      expect(prepared.placement).toBe('none');
      expect(extracted(sqsAttributesCarrier(prepared.attributes))?.spanId).toBe('b7ad6b7169203331');
    }
  });

  it('reads String.<label> attributes and ignores Binary and Number ones', () => {
    const reader = sqsAttributesCarrier({
      traceparent: { DataType: 'String.w3c', StringValue: VALID_TRACEPARENT },
      tracestate: { DataType: 'Binary', BinaryValue: Buffer.from('a=1') },
      baggage: { DataType: 'Number', StringValue: '1' },
    });
    expect(reader.get('traceparent')).toBe(VALID_TRACEPARENT);
    expect(reader.get('tracestate')).toBeUndefined();
    expect(reader.get('baggage')).toBeUndefined();
  });

  it('falls back to the AWSTraceHeader system attribute when there is no traceparent', () => {
    const reader = sqsAttributesCarrier(undefined, {
      AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    const received = extracted(reader);
    expect(received?.traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(received?.spanId).toBe('53995c3f42cd8ad8');
    expect(received?.traceFlags).toBe(1);
  });

  it.each([
    'Root=1-5759e988-bd862e3fe1be46a994272793',
    'Parent=53995c3f42cd8ad8;Sampled=1',
    'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
    'Root=1-5759E988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8',
    `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;${'x'.repeat(300)}`,
  ])('rejects the malformed X-Ray header %s', (header) => {
    expect(traceparentFromAwsTraceHeader(header)).toBeUndefined();
  });

  it('accepts X-Ray fields in any order with extra fields', () => {
    expect(
      traceparentFromAwsTraceHeader(
        'Sampled=0;Lineage=a87bd80c:1|68fd508a:5;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793',
      ),
    ).toBe('00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00');
  });
});

describe('NATS headers', () => {
  it('round-trips through the NATS wire encoding', () => {
    const h = natsHeaders();
    const sent = withSpan((ctx) => injectContext(natsHeadersCarrier(h), ctx));
    const wire = MsgHdrsImpl.decode((h as MsgHdrsImpl).encode());
    expect(extracted(natsHeadersCarrier(wire))?.spanId).toBe(sent.spanId);
  });

  it('finds headers whatever their case (Go clients send Traceparent)', () => {
    const h = natsHeaders();
    h.set('Traceparent', VALID_TRACEPARENT);
    expect(extracted(natsHeadersCarrier(h))?.spanId).toBe('b7ad6b7169203331');
  });

  it('treats an empty value as absent and takes the first usable one', () => {
    const h = natsHeaders();
    h.append('traceparent', '');
    h.append('traceparent', VALID_TRACEPARENT);
    expect(natsHeadersCarrier(h).get('traceparent')).toBe(VALID_TRACEPARENT);
    expect(natsHeadersCarrier(h).get('missing')).toBeUndefined();
    expect(natsHeadersCarrier(undefined).get('traceparent')).toBeUndefined();
  });

  it('replaces every case variant on write, and drops values NATS cannot carry', () => {
    const h = natsHeaders();
    h.set('TraceParent', 'old');
    const carrier = natsHeadersCarrier(h);
    carrier.set('traceparent', VALID_TRACEPARENT);
    expect(h.keys()).toEqual(['traceparent']);
    expect(() => carrier.set('tracestate', 'a=1\r\nInjected: 1')).not.toThrow();
    expect(h.has('tracestate')).toBe(false);
  });
});

describe('Redis stream fields', () => {
  it('appends fields to the XADD list and reads them back from an entry', () => {
    const fields: unknown[] = ['order', '42'];
    const sent = withSpan((ctx) => injectContext(redisFieldsCarrier(fields), ctx));
    expect(fields.slice(0, 2)).toEqual(['order', '42']);
    expect(fields[2]).toBe('traceparent');
    expect(extracted(redisFieldsCarrier(fields))?.spanId).toBe(sent.spanId);
  });

  it('reads Buffer entries (xreadgroupBuffer) and only even positions as names', () => {
    const entry = [
      Buffer.from('note'),
      Buffer.from('traceparent'),
      Buffer.from('traceparent'),
      Buffer.from(VALID_TRACEPARENT),
    ];
    expect(redisFieldsCarrier(entry).get('traceparent')).toBe(VALID_TRACEPARENT);
    expect(redisFieldsCarrier(entry).keys()).toEqual(['note', 'traceparent']);
  });

  it('replaces an existing field in place instead of adding a duplicate', () => {
    const fields: unknown[] = ['signalbox-pathway', 'old', 'x', '1'];
    redisFieldsCarrier(fields).set('signalbox-pathway', 'new');
    expect(fields).toEqual(['signalbox-pathway', 'new', 'x', '1']);
  });

  it('ignores a dangling name without a value', () => {
    expect(redisFieldsCarrier(['a', '1', 'traceparent']).get('traceparent')).toBeUndefined();
  });
});

describe('MQTT 5 user properties', () => {
  it('round-trips, and reads the first usable value of a repeated property', () => {
    const props: Record<string, string | string[]> = {};
    const sent = withSpan((ctx) => injectContext(mqttUserPropertiesCarrier(props), ctx));
    expect(typeof props.traceparent).toBe('string');
    expect(extracted(mqttUserPropertiesCarrier(props))?.spanId).toBe(sent.spanId);

    const repeated = { traceparent: ['', 'junk', VALID_TRACEPARENT] };
    expect(mqttUserPropertiesCarrier(repeated).get('traceparent')).toBe('junk');
    // An invalid first value is the producer's problem; the propagator rejects it, we never throw.
    expect(extracted(mqttUserPropertiesCarrier(repeated))).toBeUndefined();
    expect(extracted(mqttUserPropertiesCarrier({ traceparent: [VALID_TRACEPARENT, 'x'] }))?.spanId).toBe(
      'b7ad6b7169203331',
    );
  });

  it('reads nothing from an MQTT 3.1.1 packet (no properties)', () => {
    expect(mqttUserPropertiesCarrier(undefined).get('traceparent')).toBeUndefined();
    expect(() => mqttUserPropertiesCarrier(undefined).set('traceparent', VALID_TRACEPARENT)).not.toThrow();
  });
});

describe('BullMQ telemetry metadata', () => {
  it('writes the JSON bullmq-otel writes, and reads theirs', () => {
    const fields = parseBullmqMetadata(undefined);
    const sent = withSpan((ctx) => injectContext(bullmqMetadataCarrier(fields), ctx));
    const metadata = JSON.stringify(fields);
    expect(Object.keys(JSON.parse(metadata) as object)).toEqual(['traceparent']);
    expect(extracted(bullmqMetadataCarrier(parseBullmqMetadata(metadata)))?.spanId).toBe(sent.spanId);
  });

  it.each(['', '{', '[1]', 'null', '"x"', '{"traceparent":1}', `{"a":"${'x'.repeat(40_000)}"}`])(
    'yields no fields for malformed metadata %#',
    (metadata) => {
      expect(parseBullmqMetadata(metadata).traceparent).toBeUndefined();
    },
  );
});
