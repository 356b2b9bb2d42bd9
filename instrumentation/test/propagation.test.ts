import { createRequire } from 'node:module';
import path from 'node:path';
import {
  context,
  propagation,
  trace,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  amqpHeadersCarrier,
  extractContext,
  injectContext,
  kafkaHeadersCarrier,
  type MessageCarrier,
} from '../src/index.js';
import { setupTracing } from './support/tracing.js';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());

const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** Runs `fn` inside a fresh span and returns that span's context. */
function withSpan(fn: (ctx: Context) => void) {
  const span = tracing.tracer.startSpan('producer');
  const ctx = trace.setSpan(context.active(), span);
  fn(ctx);
  span.end();
  return span.spanContext();
}

const extracted = (carrier: MessageCarrier) => trace.getSpanContext(extractContext(carrier));

// What kafkajs hands a consumer: every header value becomes a Buffer.
const asKafkaWire = (headers: IHeaders): IHeaders =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map((x) => Buffer.from(x)) : v === undefined ? v : Buffer.from(v),
    ]),
  );

// amqplib's own field-table codec: encode as it goes on the wire, decode as a consumer receives it.
const amqpCodec = createRequire(import.meta.url)(
  path.join(path.dirname(createRequire(import.meta.url).resolve('amqplib')), 'lib/codec.js'),
) as {
  encodeTable(buffer: Buffer, table: Record<string, unknown>, offset: number): number;
  decodeFields(slice: Buffer): Record<string, unknown>;
};
function asAmqpWire(table: Record<string, unknown>): Record<string, unknown> {
  const buffer = Buffer.alloc(64 * 1024);
  const size = amqpCodec.encodeTable(buffer, table, 0);
  return amqpCodec.decodeFields(buffer.subarray(4, size));
}

describe('Kafka header carrier', () => {
  it('round-trips through Buffer header values (what consumers receive)', () => {
    const headers: IHeaders = { 'app-id': 'checkout' };
    const sent = withSpan((ctx) => injectContext(kafkaHeadersCarrier(headers), ctx));
    expect(typeof headers.traceparent).toBe('string');

    const received = extracted(kafkaHeadersCarrier(asKafkaWire(headers)));
    expect(received?.traceId).toBe(sent.traceId);
    expect(received?.spanId).toBe(sent.spanId);
    expect(received?.isRemote).toBe(true);
  });

  it('round-trips through string header values', () => {
    const headers: IHeaders = {};
    const sent = withSpan((ctx) => injectContext(kafkaHeadersCarrier(headers), ctx));
    const received = extracted(kafkaHeadersCarrier(headers));
    expect(received?.traceId).toBe(sent.traceId);
    expect(received?.spanId).toBe(sent.spanId);
  });

  it('takes the last valid value of a repeated header', () => {
    const older = '00-11111111111111111111111111111111-1111111111111111-01';
    const headers: IHeaders = {
      traceparent: [Buffer.from(older), Buffer.from(VALID_TRACEPARENT)],
    };
    expect(extracted(kafkaHeadersCarrier(headers))?.traceId).toBe('0af7651916cd43dd8448eb211c80319c');

    // Values that cannot be headers at all are skipped, not taken as "last".
    const withJunk = { traceparent: [Buffer.from(VALID_TRACEPARENT), 42, null] } as unknown as IHeaders;
    expect(extracted(kafkaHeadersCarrier(withJunk))?.spanId).toBe('b7ad6b7169203331');
  });

  it('round-trips an injected context appended to an existing array', () => {
    const headers: IHeaders = {};
    const sent = withSpan((ctx) => injectContext(kafkaHeadersCarrier(headers), ctx));
    const wire = asKafkaWire({ traceparent: ['junk', headers.traceparent as string] });
    expect(extracted(kafkaHeadersCarrier(wire))?.spanId).toBe(sent.spanId);
  });

  it('finds headers regardless of case', () => {
    const received = extracted(kafkaHeadersCarrier({ Traceparent: Buffer.from(VALID_TRACEPARENT) }));
    expect(received?.spanId).toBe('b7ad6b7169203331');
  });
});

describe('AMQP header carrier', () => {
  it('round-trips through amqplib field-table encoding', () => {
    const headers: Record<string, unknown> = { 'x-retries': 2, tenant: 'eu' };
    const sent = withSpan((ctx) => injectContext(amqpHeadersCarrier(headers), ctx));
    const wire = asAmqpWire(headers);
    expect(wire['x-retries']).toBe(2);
    const received = extracted(amqpHeadersCarrier(wire));
    expect(received?.traceId).toBe(sent.traceId);
    expect(received?.spanId).toBe(sent.spanId);
  });

  it('reads trace headers sent as byte arrays by other clients', () => {
    const wire = asAmqpWire({ traceparent: Buffer.from(VALID_TRACEPARENT) });
    expect(Buffer.isBuffer(wire.traceparent)).toBe(true);
    expect(extracted(amqpHeadersCarrier(wire))?.spanId).toBe('b7ad6b7169203331');
  });

  it('yields no context when the message has no headers', () => {
    expect(extracted(amqpHeadersCarrier(undefined))).toBeUndefined();
    expect(amqpHeadersCarrier(undefined).keys()).toEqual([]);
  });
});

describe('a traceparent the user already set', () => {
  it.each([
    ['kafka', (h: Record<string, unknown>) => kafkaHeadersCarrier(h as IHeaders)],
    ['amqp', (h: Record<string, unknown>) => amqpHeadersCarrier(h)],
  ])('is never overwritten (%s)', (_name, carrierOf) => {
    const headers: Record<string, unknown> = { traceparent: VALID_TRACEPARENT, tracestate: 'vendor=1' };
    const result = withSpan((ctx) => {
      const outcome = injectContext(carrierOf(headers), ctx);
      expect(outcome.preserved).toBe(true);
      expect(outcome.userContext?.spanId).toBe('b7ad6b7169203331');
    });
    expect(headers).toEqual({ traceparent: VALID_TRACEPARENT, tracestate: 'vendor=1' });
    expect(result.spanId).not.toBe('b7ad6b7169203331');
  });

  it('is recognised whatever its case, and then left alone', () => {
    const headers: IHeaders = { TraceParent: Buffer.from(VALID_TRACEPARENT) };
    withSpan((ctx) => expect(injectContext(kafkaHeadersCarrier(headers), ctx).preserved).toBe(true));
    expect(Object.keys(headers)).toEqual(['TraceParent']);
  });
});

describe('hostile headers', () => {
  const tenMegabytes = 'a'.repeat(10 * 1024 * 1024);
  const binaryJunk = Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x9f, 0x92, 0x96, 0x0a, 0x0d]);
  const cases: [string, Record<string, unknown> | undefined][] = [
    ['a malformed traceparent', { traceparent: '00-zzzz-not-a-trace-01' }],
    ['an all-zero trace id', { traceparent: '00-00000000000000000000000000000000-b7ad6b7169203331-01' }],
    ['a 10 MB string value', { traceparent: tenMegabytes, tracestate: tenMegabytes, baggage: tenMegabytes }],
    ['a 10 MB Buffer value', { traceparent: Buffer.from(tenMegabytes) }],
    ['a valid traceparent padded past 512 chars', { traceparent: VALID_TRACEPARENT + ' '.repeat(600) }],
    ['binary junk', { traceparent: binaryJunk, tracestate: binaryJunk }],
    ['a valid traceparent with control characters', { traceparent: `${VALID_TRACEPARENT}\r\n` }],
    ['arrays of junk', { traceparent: [binaryJunk, 42, null, {}, [VALID_TRACEPARENT]] }],
    ['numbers', { traceparent: 42, tracestate: 1.5 }],
    ['null values', { traceparent: null, tracestate: null }],
    ['objects and timestamps', { traceparent: { '!': 'timestamp', value: 1 }, tracestate: { toString: 1 } }],
    ['inherited keys only', Object.create({ traceparent: VALID_TRACEPARENT }) as Record<string, unknown>],
    ['no headers', undefined],
  ];

  it.each(cases)('%s: never throws and yields no context', (_name, headers) => {
    for (const carrier of [kafkaHeadersCarrier(headers as IHeaders), amqpHeadersCarrier(headers)]) {
      expect(() => extractContext(carrier)).not.toThrow();
      expect(extracted(carrier)).toBeUndefined();
    }
  });

  it('headers that are not an object at all', () => {
    for (const junk of [null, 42, 'traceparent', [VALID_TRACEPARENT]]) {
      const carriers = [kafkaHeadersCarrier(junk as unknown as IHeaders), amqpHeadersCarrier(junk as never)];
      for (const carrier of carriers) {
        expect(extracted(carrier)).toBeUndefined();
        expect(() => carrier.set('traceparent', VALID_TRACEPARENT)).not.toThrow();
      }
    }
  });

  it('a carrier that throws on every call', () => {
    const exploding: MessageCarrier = {
      get: () => {
        throw new Error('get');
      },
      set: () => {
        throw new Error('set');
      },
      keys: () => {
        throw new Error('keys');
      },
    };
    expect(extracted(exploding)).toBeUndefined();
    expect(() => injectContext(exploding)).not.toThrow();
  });
});

describe('propagator choice', () => {
  afterEach(() => {
    // Put the SDK's default (W3C trace-context + baggage) back.
    propagation.disable();
    tracing.provider.register();
  });

  it("uses the application's registered propagator, not a hard-coded W3C one", () => {
    const custom: TextMapPropagator = {
      inject(ctx: Context, carrier: unknown, setter: TextMapSetter) {
        const spanContext = trace.getSpanContext(ctx);
        if (spanContext) setter.set(carrier, 'x-trace', `${spanContext.traceId}:${spanContext.spanId}`);
      },
      extract(ctx: Context, carrier: unknown, getter: TextMapGetter) {
        const value = getter.get(carrier, 'x-trace');
        if (typeof value !== 'string') return ctx;
        const [traceId = '', spanId = ''] = value.split(':');
        return trace.setSpanContext(ctx, { traceId, spanId, traceFlags: 1, isRemote: true });
      },
      fields: () => ['x-trace'],
    };
    propagation.disable();
    propagation.setGlobalPropagator(custom);

    const headers: IHeaders = {};
    const sent = withSpan((ctx) => injectContext(kafkaHeadersCarrier(headers), ctx));
    expect(Object.keys(headers)).toEqual(['x-trace']);
    expect(extracted(kafkaHeadersCarrier(asKafkaWire(headers)))?.spanId).toBe(sent.spanId);
  });
});
