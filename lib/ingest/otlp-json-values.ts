import { type AttributeValue, type Attributes, OtlpDecodeError } from '@/lib/model/telemetry';

/**
 * Validating readers for OTLP/HTTP JSON, shared by the trace and metrics
 * decoders. The JSON mapping differs from plain proto3 JSON in ways handled
 * here in one place (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * ids are hex strings (not base64), enums are integers, and 64-bit integers
 * may arrive as strings or numbers. Every reader names the path of a bad value.
 */

export type Json = unknown;

export function fail(path: string, expected: string): never {
  throw new OtlpDecodeError(`${path}: expected ${expected}`);
}

export function object(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Record<string, Json>;
}

export function array(value: Json, path: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

export function string(value: Json, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

/** int64/fixed64 fields: a JSON number or a decimal string. */
export function int64(value: Json, path: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'an integer or a decimal string');
  return n;
}

const HEX = /^[0-9a-f]*$/i;

export function hexId(value: Json, hexLength: number, path: string, optional: boolean): string | null {
  const text = string(value, path);
  if (text === '' && optional) return null;
  if (text.length === hexLength && HEX.test(text)) return text.toLowerCase();
  fail(path, `${hexLength} hex characters`);
}

export function anyValue(value: Json, path: string): AttributeValue {
  if (value === undefined || value === null) return null;
  const v = object(value, path);
  if ('stringValue' in v) return string(v.stringValue, `${path}.stringValue`);
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean') fail(`${path}.boolValue`, 'a boolean');
    return v.boolValue;
  }
  if ('intValue' in v) return int64(v.intValue, `${path}.intValue`);
  if ('doubleValue' in v) {
    const d = v.doubleValue;
    // proto3 JSON writes NaN and infinities as strings.
    if (typeof d === 'number') return d;
    if (d === 'NaN' || d === 'Infinity' || d === '-Infinity') return null;
    fail(`${path}.doubleValue`, 'a number');
  }
  if ('arrayValue' in v) {
    const values = array(object(v.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`);
    return values.map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`));
  }
  if ('kvlistValue' in v) {
    const values = object(v.kvlistValue, `${path}.kvlistValue`).values;
    return keyValues(values, `${path}.kvlistValue.values`);
  }
  if ('bytesValue' in v) return string(v.bytesValue, `${path}.bytesValue`);
  return null;
}

export function keyValues(list: Json, path: string): Attributes {
  const out: Attributes = {};
  array(list, path).forEach((item, i) => {
    const kv = object(item, `${path}[${i}]`);
    out[string(kv.key, `${path}[${i}].key`)] = anyValue(kv.value, `${path}[${i}].value`);
  });
  return out;
}

/** A double field: a finite JSON number (proto3 JSON's "NaN"/"Infinity" strings are refused for metric values). */
export function double(value: Json, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number');
  return value;
}

/** An optional double (proto3 `optional`): null when absent. */
export function optionalDouble(value: Json, path: string): number | null {
  return value === undefined || value === null ? null : double(value, path);
}

/**
 * An enum field. The OTLP JSON mapping sends integers; proto3 JSON allows the
 * value's name, which some hand-written exporters use.
 */
export function enumValue(value: Json, names: readonly string[], path: string): number {
  if (typeof value === 'string' && names.includes(value)) return names.indexOf(value);
  return int64(value, path);
}
