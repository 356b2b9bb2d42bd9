import type Long from 'long';
import type { AttributeValue, Attributes } from '@/lib/model/telemetry';

/**
 * What protobufjs decodes OTLP's common types into, and their adapters to the
 * wire-independent model. protobufjs gives 64-bit integers as Long (or number
 * for small values) and absent fields as defaults; shared by the trace and
 * metrics decoders.
 */

export interface PbAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Long | number;
  doubleValue?: number;
  arrayValue?: { values: PbAnyValue[] };
  kvlistValue?: { values: PbKeyValue[] };
  bytesValue?: Uint8Array;
}
export interface PbKeyValue {
  key: string;
  value?: PbAnyValue | null;
}
const TWO_POW_32 = 4294967296;

/** Nanoseconds (fixed64) to microseconds, rounded: a double holds epoch nanoseconds to within ±128 ns. */
export function nanosToMicros(value: Long | number): number {
  if (typeof value === 'number') return Math.round(value / 1000);
  return Math.round(((value.high >>> 0) * TWO_POW_32 + (value.low >>> 0)) / 1000);
}

export function longToNumber(value: Long | number): number {
  return typeof value === 'number' ? value : value.toNumber();
}

const has = (value: object, key: string) => Object.hasOwn(value, key);

/**
 * The value of an AnyValue. protobufjs sets only the fields present on the
 * wire as own properties (absent ones read the prototype's defaults), so the
 * oneof is resolved with hasOwn checks, most frequent first: its generated
 * `value` getter walks Object.keys on every call, which showed as the top
 * cost of decoding in the ingest benchmark.
 */
function anyValue(value: PbAnyValue | null | undefined): AttributeValue {
  if (!value) return null;
  if (has(value, 'stringValue')) return value.stringValue ?? '';
  if (has(value, 'intValue')) return value.intValue === undefined ? 0 : longToNumber(value.intValue);
  if (has(value, 'boolValue')) return value.boolValue ?? false;
  if (has(value, 'doubleValue')) return value.doubleValue ?? 0;
  if (has(value, 'arrayValue')) return (value.arrayValue?.values ?? []).map(anyValue);
  if (has(value, 'kvlistValue')) return keyValues(value.kvlistValue?.values ?? []);
  if (has(value, 'bytesValue')) return Buffer.from(value.bytesValue ?? []).toString('base64');
  return null;
}

export function keyValues(list: PbKeyValue[]): Attributes {
  const out: Attributes = {};
  for (const kv of list) out[kv.key] = anyValue(kv.value);
  return out;
}
