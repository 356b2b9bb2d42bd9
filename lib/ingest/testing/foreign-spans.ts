import { randomBytes } from 'node:crypto';
import { ExportTraceServiceRequest } from '../otlp-proto-schema';

/**
 * Hand-built OTLP exports in the shapes other SDKs send (the Java agent,
 * Python Celery, Go), for tests. Spans are written as the OTLP JSON mapping
 * specifies (hex ids, int64 as strings) or encoded to protobuf.
 */
export interface ForeignSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  links?: { traceId: string; spanId: string }[];
  name: string;
  kind: 4 | 5 | 1 | 3;
  startMs: number;
  durationMs: number;
  attributes: Record<string, string | number | boolean>;
  error?: string;
}

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

function value(v: string | number | boolean) {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function jsonSpan(s: ForeignSpan) {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(s.startMs + s.durationMs),
    attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: value(v) })),
    links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
    status: s.error ? { code: 2, message: s.error } : {},
  };
}

/** An ExportTraceServiceRequest in OTLP JSON: one resource per service. */
export function foreignJson(services: Record<string, ForeignSpan[]>): string {
  return JSON.stringify({
    resourceSpans: Object.entries(services).map(([service, spans]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'hand-built' }, spans: spans.map(jsonSpan) }],
    })),
  });
}

/** The same export as protobuf (ids as bytes, times as fixed64). */
export function foreignProtobuf(services: Record<string, ForeignSpan[]>): Uint8Array {
  const hex = (h: string) => Buffer.from(h, 'hex');
  const message = ExportTraceServiceRequest.fromObject({
    resourceSpans: Object.entries(services).map(([service, spans]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        {
          spans: spans.map((s) => ({
            traceId: hex(s.traceId),
            spanId: hex(s.spanId),
            parentSpanId: s.parentSpanId ? hex(s.parentSpanId) : Buffer.alloc(0),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: nanos(s.startMs),
            endTimeUnixNano: nanos(s.startMs + s.durationMs),
            attributes: Object.entries(s.attributes).map(([key, v]) => ({ key, value: value(v) })),
            links: (s.links ?? []).map((l) => ({ traceId: hex(l.traceId), spanId: hex(l.spanId) })),
            status: s.error ? { code: 2, message: s.error } : {},
          })),
        },
      ],
    })),
  });
  return ExportTraceServiceRequest.encode(message).finish();
}
