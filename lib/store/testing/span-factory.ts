import { randomBytes } from 'node:crypto';
import type { MessagingSpan } from '@/lib/model/span';
import { toMessagingSpan } from '@/lib/ingest/messaging-span';
import type { Attributes, DecodedSpan } from '@/lib/model/telemetry';

/** Random ids in OTLP's hex form. */
export const traceId = () => randomBytes(16).toString('hex');
export const spanId = () => randomBytes(8).toString('hex');

/**
 * Decoded spans built directly (for store tests and benchmarks that need
 * thousands of spans fast); the OTLP round trip itself is covered by tests
 * using the SDK's serializers.
 */
export function decodedSpan(
  over: Partial<DecodedSpan> & { attributes: Attributes; service: string },
): DecodedSpan {
  const { service, ...rest } = over;
  return {
    traceId: traceId(),
    spanId: spanId(),
    parentSpanId: null,
    name: 'span',
    kind: 0,
    startTimeUs: Date.now() * 1000,
    endTimeUs: Date.now() * 1000 + 1000,
    resource: { 'service.name': service },
    links: [],
    statusCode: 0,
    statusMessage: null,
    ...rest,
  };
}

export interface HopSpec {
  system?: string;
  destination?: string;
  producer?: string;
  consumer?: string;
  group?: string;
  sentUs: number;
  deliveryUs: number;
  processUs?: number;
  failed?: boolean;
  messageId?: string;
  extra?: Attributes;
}

/** One message over one hop as a send span and a process span linked to it (semconv 1.44 shape). */
export function hopSpans(h: HopSpec): { send: MessagingSpan; process: MessagingSpan } {
  const destination = h.destination ?? 'orders';
  const base: Attributes = {
    'messaging.system': h.system ?? 'kafka',
    'messaging.destination.name': destination,
  };
  const ids: Attributes = h.messageId ? { 'messaging.message.id': h.messageId } : {};
  const send = decodedSpan({
    service: h.producer ?? 'checkout',
    name: `send ${destination}`,
    kind: 4,
    startTimeUs: h.sentUs,
    endTimeUs: h.sentUs + 500,
    attributes: { ...base, ...ids, 'messaging.operation.type': 'send' },
  });
  const start = h.sentUs + h.deliveryUs;
  const process = decodedSpan({
    service: h.consumer ?? 'billing',
    name: `process ${destination}`,
    kind: 5,
    startTimeUs: start,
    endTimeUs: start + (h.processUs ?? 2000),
    links: [{ traceId: send.traceId, spanId: send.spanId }],
    statusCode: h.failed ? 2 : 0,
    attributes: {
      ...base,
      ...ids,
      ...h.extra,
      'messaging.operation.type': 'process',
      ...(h.group ? { 'messaging.consumer.group.name': h.group } : {}),
    },
  });
  return { send: toMessagingSpan(send)!, process: toMessagingSpan(process)! };
}
