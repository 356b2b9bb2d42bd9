import { SpanKind } from '@opentelemetry/api';
import { recordSpans, toProtobuf } from '@/lib/testing/otlp-fixtures';

/**
 * One OTLP/protobuf request of `size` Kafka send spans, as the SDK's serializer
 * writes it, and the span ids it carries: for the tests that post batches,
 * stop the receiver mid-ingest and look for every acknowledged id in the file.
 */
export function producerBatch(n: number, size: number): { body: Uint8Array; spanIds: string[] } {
  const spans = recordSpans(`producer-${n % 3}`, (tracer) => {
    for (let i = 0; i < size; i++) {
      tracer
        .startSpan('send orders', {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.destination.name': 'orders',
            'messaging.operation.type': 'send',
          },
        })
        .end();
    }
  });
  return { body: toProtobuf(spans), spanIds: spans.map((s) => s.spanContext().spanId) };
}

/** Posts a batch to a listener's /v1/traces, as an OTLP/HTTP exporter would. */
export const postTraces = (port: number, body: Uint8Array): Promise<Response> =>
  fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: Buffer.from(body),
  });
