/**
 * The wire-independent shape of an OTLP span after decoding. Both the protobuf
 * and the JSON decoders produce exactly this, so everything downstream is
 * written once. Ids are lowercase hex; times are microseconds since the epoch
 * (OTLP sends nanoseconds; microseconds fit a JS number exactly and are what
 * DuckDB's TIMESTAMP stores).
 */
export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export interface SpanLink {
  traceId: string;
  spanId: string;
}

/** OTLP SpanKind numbers. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** OTLP Status.code numbers. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startTimeUs: number;
  endTimeUs: number;
  attributes: Attributes;
  resource: Attributes;
  links: SpanLink[];
  statusCode: number;
  statusMessage: string | null;
}

/** Malformed telemetry: answered 400 with this message. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}
