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
  /**
   * The attributes exactly as they arrived in protobuf (KeyValue fields with
   * their tags), when decoded from protobuf: stored as is instead of being
   * re-serialized (see lib/store/stored-attributes.ts).
   */
  rawAttributes?: Uint8Array;
}

/** Malformed telemetry: answered 400 with this message. */
export class OtlpDecodeError extends Error {
  override name = 'OtlpDecodeError';
}

/** The largest int64 nanosecond time in microseconds (2^63 / 1000; the store keeps BIGINT microseconds). */
const MAX_TIME_US = 2 ** 63 / 1000;

/**
 * A time in microseconds that the store can keep: OTLP times are unsigned
 * 64-bit nanoseconds on the wire, but a value past int64 (or a negative JSON
 * number) is malformed input, refused with its path rather than failing the
 * write.
 */
export function checkedTimeUs(us: number, path: string): number {
  if (!Number.isFinite(us) || us < 0 || us > MAX_TIME_US) {
    throw new OtlpDecodeError(`${path}: time out of range (expected Unix nanoseconds within int64)`);
  }
  return us;
}
