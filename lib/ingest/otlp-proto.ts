import type Long from 'long';
import { ExportTraceServiceRequest } from './otlp-proto-schema';
import {
  type AttributeValue,
  type Attributes,
  type DecodedSpan,
  OtlpDecodeError,
  type SpanLink,
} from './model';

/**
 * Decodes an OTLP/HTTP protobuf trace export (ExportTraceServiceRequest).
 * protobufjs gives 64-bit integers as Long and ids as bytes; this adapter turns
 * them into the wire-independent DecodedSpan (hex ids, microsecond times).
 */

// Loose views of what protobufjs decodes into (fields absent on the wire read as defaults).
interface PbAnyValue {
  value?: string;
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long | number;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
  bytesValue?: Uint8Array;
}
interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}
interface PbSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId: Uint8Array;
  name: string;
  kind: number;
  startTimeUnixNano: Long | number;
  endTimeUnixNano: Long | number;
  attributes: PbKeyValue[];
  links: { traceId: Uint8Array; spanId: Uint8Array }[];
  status?: { code: number; message: string } | null;
}
interface PbRequest {
  resourceSpans: {
    resource?: { attributes: PbKeyValue[] } | null;
    scopeSpans: { spans: PbSpan[] }[];
  }[];
}

const TWO_POW_32 = 4294967296;

/** Nanoseconds (fixed64) to microseconds, rounded: a double holds epoch nanoseconds to within ±128 ns. */
function nanosToMicros(value: Long | number): number {
  if (typeof value === 'number') return Math.round(value / 1000);
  return Math.round(((value.high >>> 0) * TWO_POW_32 + (value.low >>> 0)) / 1000);
}

function longToNumber(value: Long | number): number {
  return typeof value === 'number' ? value : value.toNumber();
}

function anyValue(value: PbAnyValue | null | undefined): AttributeValue {
  switch (value?.value) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'intValue':
      return value.intValue === undefined ? 0 : longToNumber(value.intValue);
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(anyValue);
    case 'kvlistValue':
      return keyValues(value.kvlistValue?.values ?? []);
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? []).toString('base64');
    default:
      return null;
  }
}

function keyValues(list: PbKeyValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of list) out[kv.key] = anyValue(kv.value);
  return out;
}

function hexId(bytes: Uint8Array, length: number, what: string): string {
  if (bytes.length !== length)
    throw new OtlpDecodeError(`${what} must be ${length} bytes, got ${bytes.length}`);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function optionalHexId(bytes: Uint8Array | undefined, length: number, what: string): string | null {
  return bytes && bytes.length > 0 ? hexId(bytes, length, what) : null;
}

function link(pb: { traceId: Uint8Array; spanId: Uint8Array }): SpanLink {
  return { traceId: hexId(pb.traceId, 16, 'link traceId'), spanId: hexId(pb.spanId, 8, 'link spanId') };
}

export function decodeTracesProtobuf(body: Uint8Array): DecodedSpan[] {
  let request: PbRequest;
  try {
    request = ExportTraceServiceRequest.decode(body) as unknown as PbRequest;
  } catch (error) {
    throw new OtlpDecodeError(
      `body is not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`,
    );
  }
  const spans: DecodedSpan[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resource = keyValues(resourceSpans.resource?.attributes ?? []);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        spans.push({
          traceId: hexId(span.traceId, 16, 'traceId'),
          spanId: hexId(span.spanId, 8, 'spanId'),
          parentSpanId: optionalHexId(span.parentSpanId, 8, 'parentSpanId'),
          name: span.name,
          kind: span.kind,
          startTimeUs: nanosToMicros(span.startTimeUnixNano),
          endTimeUs: nanosToMicros(span.endTimeUnixNano),
          attributes: keyValues(span.attributes),
          resource,
          links: span.links.map(link),
          statusCode: span.status?.code ?? 0,
          statusMessage: span.status?.message || null,
        });
      }
    }
  }
  return spans;
}
