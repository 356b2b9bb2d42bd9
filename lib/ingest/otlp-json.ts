import {
  type Attributes,
  type DecodedSpan,
  OtlpDecodeError,
  type SpanLink,
  checkedTimeUs,
} from '@/lib/model/telemetry';
import { type Json, array, hexId, int64, keyValues, object, string } from './otlp-json-values';

/**
 * Decodes an OTLP/HTTP JSON trace export (readers in otlp-json-values.ts).
 * Every value is checked: a malformed body is rejected with the path of the
 * first problem, never half-stored.
 */

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
    startTimeUs: checkedTimeUs(
      Math.round(int64(s.startTimeUnixNano, `${path}.startTimeUnixNano`) / 1000),
      `${path}.startTimeUnixNano`,
    ),
    endTimeUs: checkedTimeUs(
      Math.round(int64(s.endTimeUnixNano, `${path}.endTimeUnixNano`) / 1000),
      `${path}.endTimeUnixNano`,
    ),
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
