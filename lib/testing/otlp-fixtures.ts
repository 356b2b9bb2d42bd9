import {
  type Attributes,
  type Link,
  type Meter,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import {
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  InstrumentType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Real OTLP payloads for tests: spans recorded by the OpenTelemetry SDK and
 * serialized by its own OTLP serializers, byte for byte what an exporter sends.
 */
export function recordSpans(serviceName: string, run: (tracer: Tracer) => void): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  run(provider.getTracer('signalbox-tests'));
  return exporter.getFinishedSpans();
}

export const toProtobuf = (spans: ReadableSpan[]): Uint8Array =>
  ProtobufTraceSerializer.serializeRequest(spans)!;
export const toJson = (spans: ReadableSpan[]): string =>
  Buffer.from(JsonTraceSerializer.serializeRequest(spans)!).toString('utf8');

export interface MessageHop {
  system: string;
  destination: string;
  producer: string;
  consumer: string;
  consumerGroup?: string;
  /** When the producer sent, epoch ms. */
  sentAtMs: number;
  /** Delay from send to the start of processing. */
  deliveryMs: number;
  failed?: boolean;
}

/**
 * One message across one hop, as semconv 1.44 instrumentation records it: a
 * PRODUCER `send` span in the producer's service and a CONSUMER `process`
 * span in the consumer's service linked to it.
 */
export function recordHop(hop: MessageHop): { producer: ReadableSpan[]; consumer: ReadableSpan[] } {
  const base: Attributes = {
    'messaging.system': hop.system,
    'messaging.destination.name': hop.destination,
  };
  let link: Link | undefined;
  const producer = recordSpans(hop.producer, (tracer) => {
    const span = tracer.startSpan(`send ${hop.destination}`, {
      kind: SpanKind.PRODUCER,
      startTime: hop.sentAtMs,
      attributes: { ...base, 'messaging.operation.type': 'send', 'messaging.operation.name': 'send' },
    });
    link = { context: span.spanContext() };
    span.end(hop.sentAtMs + 2);
  });
  const consumer = recordSpans(hop.consumer, (tracer) => {
    const start = hop.sentAtMs + hop.deliveryMs;
    const span = tracer.startSpan(`process ${hop.destination}`, {
      kind: SpanKind.CONSUMER,
      startTime: start,
      links: link ? [link] : [],
      attributes: {
        ...base,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        ...(hop.consumerGroup ? { 'messaging.consumer.group.name': hop.consumerGroup } : {}),
      },
    });
    if (hop.failed) span.setStatus({ code: SpanStatusCode.ERROR, message: 'handler failed' });
    span.end(start + 5);
  });
  return { producer, consumer };
}

/**
 * Real OTLP metrics: a MeterProvider (hand it to instrumentation as
 * `meterProvider`) whose reader collects with the given temporality, for the
 * official serializers below.
 */
export function metricsRecorder(
  serviceName: string,
  temporality: 'delta' | 'cumulative' = 'cumulative',
  exponential = false,
): { meterProvider: MeterProvider; collect: () => Promise<ResourceMetrics>; shutdown: () => Promise<void> } {
  const reader = new TestMetricReader(temporality, exponential);
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    readers: [reader],
  });
  return {
    meterProvider,
    collect: async () => (await reader.collect()).resourceMetrics,
    shutdown: () => meterProvider.shutdown(),
  };
}

/** Records with `run` on a fresh recorder's meter (scope `@signalbox/instrumentation`). */
export function recordMetrics(
  serviceName: string,
  run: (meter: Meter) => void,
  temporality: 'delta' | 'cumulative' = 'cumulative',
  exponential = false,
): { collect: () => Promise<ResourceMetrics>; shutdown: () => Promise<void> } {
  const recorder = metricsRecorder(serviceName, temporality, exponential);
  run(recorder.meterProvider.getMeter('@signalbox/instrumentation'));
  return recorder;
}

class TestMetricReader extends MetricReader {
  constructor(temporality: 'delta' | 'cumulative', exponential: boolean) {
    super({
      aggregationTemporalitySelector: () =>
        temporality === 'delta' ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
      aggregationSelector: (type) =>
        exponential && type === InstrumentType.HISTOGRAM
          ? { type: AggregationType.EXPONENTIAL_HISTOGRAM }
          : { type: AggregationType.DEFAULT },
    });
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export const metricsToProtobuf = (metrics: ResourceMetrics): Uint8Array =>
  ProtobufMetricsSerializer.serializeRequest(metrics)!;
export const metricsToJson = (metrics: ResourceMetrics): string =>
  Buffer.from(JsonMetricsSerializer.serializeRequest(metrics)!).toString('utf8');
