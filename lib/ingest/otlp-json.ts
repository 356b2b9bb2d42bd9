import {
  type AttributeValue,
  type Attributes,
  type DecodedSpan,
  OtlpDecodeError,
  type SpanLink,
} from './model';

/**
 * Decodes an OTLP/HTTP JSON trace export. The JSON mapping differs from plain
 * proto3 JSON in ways this adapter handles in one place
 * (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * ids are hex strings (not base64), enums are integers, and 64-bit integers
 * may arrive as strings or numbers. Every value is checked: a malformed body
 * is rejected with the path of the first problem, never half-stored.
 */

type Json = unknown;

function fail(path: string, expected: string): never {
  throw new OtlpDecodeError(`${path}: expected ${expected}`);
}

function object(value: Json, path: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Record<string, Json>;
}

function array(value: Json, path: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(path, 'an array');
  return value;
}

function string(value: Json, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(path, 'a string');
  return value;
}

/** int64/fixed64 fields: a JSON number or a decimal string. */
function int64(value: Json, path: string): number {
  if (value === undefined || value === null) return 0;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) fail(path, 'an integer or a decimal string');
  return n;
}

const HEX = /^[0-9a-f]*$/i;

function hexId(value: Json, hexLength: number, path: string, optional: boolean): string | null {
  const text = string(value, path);
  if (text === '' && optional) return null;
  if (text.length === hexLength && HEX.test(text)) return text.toLowerCase();
  fail(path, `${hexLength} hex characters`);
}

function anyValue(value: Json, path: string): AttributeValue {
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

function keyValues(list: Json, path: string): Attributes {
  const out: Attributes = {};
  array(list, path).forEach((item, i) => {
    const kv = object(item, `${path}[${i}]`);
    out[string(kv.key, `${path}[${i}].key`)] = anyValue(kv.value, `${path}[${i}].value`);
  });
  return out;
}

function link(value: Json, path: string): SpanLink {
  const l = object(value, path);
  return {
    traceId: hexId(l.traceId, 32, `${path}.traceId`, false)!,
    spanId: hexId(l.spanId, 16, `${path}.spanId`, false)!,
  };
}

function span(value: Json, path: string, resource: Attributes): DecodedSpan {
  const s = object(value, path);
  const status = s.status === undefined || s.status === null ? {} : object(s.status, `${path}.status`);
  return {
    traceId: hexId(s.traceId, 32, `${path}.traceId`, false)!,
    spanId: hexId(s.spanId, 16, `${path}.spanId`, false)!,
    parentSpanId: hexId(s.parentSpanId, 16, `${path}.parentSpanId`, true),
    name: string(s.name, `${path}.name`),
    kind: int64(s.kind, `${path}.kind`),
    startTimeUs: Math.round(int64(s.startTimeUnixNano, `${path}.startTimeUnixNano`) / 1000),
    endTimeUs: Math.round(int64(s.endTimeUnixNano, `${path}.endTimeUnixNano`) / 1000),
    attributes: keyValues(s.attributes, `${path}.attributes`),
    resource,
    links: array(s.links, `${path}.links`).map((l, i) => link(l, `${path}.links[${i}]`)),
    statusCode: int64(status.code, `${path}.status.code`),
    statusMessage: string(status.message, `${path}.status.message`) || null,
  };
}

export function decodeTracesJson(text: string): DecodedSpan[] {
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`);
  }
  const spans: DecodedSpan[] = [];
  const resourceSpans = array(object(body, 'body').resourceSpans, 'resourceSpans');
  resourceSpans.forEach((rsValue, r) => {
    const rs = object(rsValue, `resourceSpans[${r}]`);
    const resourceObject =
      rs.resource === undefined ? {} : object(rs.resource, `resourceSpans[${r}].resource`);
    const resource = keyValues(resourceObject.attributes, `resourceSpans[${r}].resource.attributes`);
    array(rs.scopeSpans, `resourceSpans[${r}].scopeSpans`).forEach((ssValue, s) => {
      const path = `resourceSpans[${r}].scopeSpans[${s}]`;
      const ss = object(ssValue, path);
      array(ss.spans, `${path}.spans`).forEach((sp, i) =>
        spans.push(span(sp, `${path}.spans[${i}]`, resource)),
      );
    });
  });
  return spans;
}
