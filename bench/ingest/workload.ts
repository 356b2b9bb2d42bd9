import { SpanKind, type Link } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/**
 * Realistic messaging spans for the ingest benchmark: each message is a
 * PRODUCER `send` span in the producer's service and a CONSUMER `process`
 * span in the consumer's service linked to it, with the semconv 1.44 and
 * Signalbox pathway attributes our instrumentation records, and the resource
 * attributes an SDK adds. Batches are serialized by the SDK's own protobuf
 * serializer, 512 spans each (the BatchSpanProcessor's default export size).
 */
const SERVICES = [
  ['checkout', 'kafka', 'orders', 'billing'],
  ['billing', 'rabbitmq', 'payments', 'notifier'],
  ['inventory', 'kafka', 'stock-events', 'warehouse'],
  ['warehouse', 'nats', 'shipments', 'shipping'],
] as const;

function provider(service: string, exporter: InMemorySpanExporter) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': '1.4.2',
      'service.instance.id': `${service}-7f9c6d5b8-x2x9q`,
      'deployment.environment.name': 'production',
      'host.name': 'ip-10-0-12-34',
      'process.pid': 4242,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': '20.20.0',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': '2.12.0',
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}

/** `count` batches of 512 spans (256 messages: 128 sends and 128 process spans of each of two services). */
export function buildBatches(count: number): Uint8Array[] {
  const batches: Uint8Array[] = [];
  let offset = 0;
  for (let b = 0; b < count; b++) {
    const route = b % SERVICES.length;
    const [producer, system, destination, consumer] = SERVICES[route]!;
    // One pathway per route (PATHWAY.md: a hash identifies origin → … → destination).
    const hash = (0x9a3f2c1e5b7d4a60n + BigInt(route)).toString(16).padStart(16, '0');
    const sendExporter = new InMemorySpanExporter();
    const processExporter = new InMemorySpanExporter();
    const sender = provider(producer, sendExporter).getTracer('@signalbox/instrumentation', '0.1.0');
    const processor = provider(consumer, processExporter).getTracer('@signalbox/instrumentation', '0.1.0');
    const now = Date.now();
    for (let i = 0; i < 256; i++) {
      const sentAt = now - 1000 + i;
      const common = {
        'messaging.system': system,
        'messaging.destination.name': destination,
        'messaging.destination.partition.id': String(i % 6),
        'messaging.kafka.message.key': `customer-${(b * 256 + i) % 5000}`,
        'server.address': 'broker-1.internal',
        'server.port': 9092,
      };
      const send = sender.startSpan(`send ${destination}`, {
        kind: SpanKind.PRODUCER,
        startTime: sentAt,
        attributes: {
          ...common,
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'send',
          'signalbox.pathway.hash': hash,
          'signalbox.pathway.parent_hash': '',
        },
      });
      send.end(sentAt + 1.2);
      const link: Link = { context: send.spanContext() };
      const start = sentAt + 4 + (i % 17);
      const process = processor.startSpan(`process ${destination}`, {
        kind: SpanKind.CONSUMER,
        startTime: start,
        links: [link],
        attributes: {
          ...common,
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.consumer.group.name': consumer,
          'messaging.kafka.offset': offset++,
          'messaging.message.body.size': 412,
          'signalbox.pathway.hash': hash,
          'signalbox.pathway.origin_ms': Math.floor(sentAt),
          'signalbox.pathway.send_ms': Math.floor(sentAt),
          'signalbox.pathway.hops': 1,
        },
      });
      process.end(start + 2.5);
    }
    const spans = [...sendExporter.getFinishedSpans(), ...processExporter.getFinishedSpans()];
    const batch = ProtobufTraceSerializer.serializeRequest(spans)!;
    traceIdOffsets.set(
      batch,
      offsetsOf(
        Buffer.from(batch),
        spans.map((s) => s.spanContext().traceId),
      ),
    );
    batches.push(batch);
  }
  return batches;
}

/** Where each trace id (as 16 bytes) occurs in a serialized batch: spans and the links to them. */
const traceIdOffsets = new WeakMap<Uint8Array, number[]>();

function offsetsOf(buffer: Buffer, traceIds: string[]): number[] {
  const offsets: number[] = [];
  for (const hex of new Set(traceIds)) {
    const id = Buffer.from(hex, 'hex');
    for (let at = buffer.indexOf(id); at >= 0; at = buffer.indexOf(id, at + 16)) offsets.push(at);
  }
  return offsets;
}

/**
 * A copy of `batch` whose trace ids are new for `round` (the first 4 bytes XORed with it, the same
 * way everywhere in the batch, so links still point at their sends). The store drops spans it has
 * just stored (an exporter's retry), so re-sending the same bytes would measure nothing.
 */
export function batchForRound(batch: Uint8Array, round: number): Buffer<ArrayBuffer> {
  const copy = Buffer.alloc(batch.length);
  copy.set(batch);
  for (const at of traceIdOffsets.get(batch) ?? [])
    copy.writeUInt32BE((copy.readUInt32BE(at) ^ round) >>> 0, at);
  return copy;
}

export const SPANS_PER_BATCH = 512;
