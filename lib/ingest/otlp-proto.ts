import type { AttributeSelection } from '../otlp/attribute-selection';
import { ByteStringCache } from '../otlp/byte-strings';
import {
  type Attributes,
  type DecodedSpan,
  OtlpDecodeError,
  type SpanLink,
  checkedTimeUs,
} from '@/lib/model/telemetry';
import { keyValues, readKeyValue } from '../otlp/proto-attributes';
import { ProtoReader } from '../otlp/proto-reader';

/**
 * Decodes an OTLP/HTTP protobuf trace export (ExportTraceServiceRequest,
 * opentelemetry-proto v1 trace.proto) straight from the wire format into
 * DecodedSpans. This is the ingest hot path: reading fields directly, instead
 * of building protobufjs message objects and converting them, decodes about
 * twice as fast, and it lets each span keep the raw bytes of its attributes
 * (stored as they came, decoded again only for the journey view) so nothing
 * has to be re-serialized. otlp-decode.test.ts round-trips SDK-serialized
 * spans through it; the fuzz test throws malformed bytes at it.
 *
 * Field numbers: ExportTraceServiceRequest{1 resource_spans}; ResourceSpans{1
 * resource, 2 scope_spans}; Resource{1 attributes}; ScopeSpans{2 spans};
 * Span{1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start, 8
 * end, 9 attributes, 13 links, 15 status}; Link{1 trace_id, 2 span_id};
 * Status{2 message, 3 code}; KeyValue{1 key, 2 value}; AnyValue{1 string, 2
 * bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes}.
 */

/** Which span and resource attributes to decode into JS values; null decodes them all. */
export interface DecodeSelection {
  span: AttributeSelection;
  resource: AttributeSelection;
}

/** Span names are low-cardinality by convention (semconv): interned by their bytes, bounded. */
const names = new ByteStringCache(1024);

function id(r: ProtoReader, bytes: number, what: string): string {
  const hex = r.hex();
  if (hex.length !== bytes * 2)
    throw new OtlpDecodeError(`${what} must be ${bytes} bytes, got ${hex.length / 2}`);
  return hex;
}

function link(r: ProtoReader, [start, end]: [number, number]): SpanLink {
  const saved = r.pos;
  const outer = r.end;
  r.pos = start;
  r.end = end;
  let traceId = '';
  let spanId = '';
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) traceId = id(r, 16, 'link traceId');
    else if (tag === 0x12) spanId = id(r, 8, 'link spanId');
    else r.skip(tag & 7);
  }
  if (traceId === '' || spanId === '') throw new OtlpDecodeError('a link needs a traceId and a spanId');
  r.pos = saved;
  r.end = outer;
  return { traceId, spanId };
}

function span(
  r: ProtoReader,
  start: number,
  end: number,
  resource: Attributes,
  selection: AttributeSelection | null,
): DecodedSpan {
  r.pos = start;
  r.end = end;
  const s: DecodedSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: null,
    name: '',
    kind: 0,
    startTimeUs: 0,
    endTimeUs: 0,
    attributes: {},
    resource,
    links: [],
    statusCode: 0,
    statusMessage: null,
  };
  // Raw attribute bytes: the KeyValue fields (with their tags), re-decodable as a Span holding only field 9.
  let attrStart = -1;
  let attrEnd = -1;
  let pieces: Buffer[] | null = null; // only when the attributes are not contiguous (rare)
  while (!r.done) {
    const fieldStart = r.pos;
    const tag = r.uint32();
    switch (tag) {
      case 0x0a:
        s.traceId = id(r, 16, 'traceId');
        break;
      case 0x12:
        s.spanId = id(r, 8, 'spanId');
        break;
      case 0x22: {
        const parent = r.hex();
        if (parent.length !== 0 && parent.length !== 16)
          throw new OtlpDecodeError(`parentSpanId must be 8 bytes, got ${parent.length / 2}`);
        s.parentSpanId = parent === '' ? null : parent;
        break;
      }
      case 0x2a: {
        const nameStart = r.field();
        s.name = names.get(r.buf, nameStart, r.fieldEnd);
        break;
      }
      case 0x30:
        s.kind = r.uint32();
        break;
      case 0x39:
        s.startTimeUs = checkedTimeUs(Math.round(r.fixed64() / 1000), 'startTimeUnixNano');
        break;
      case 0x41:
        s.endTimeUs = checkedTimeUs(Math.round(r.fixed64() / 1000), 'endTimeUnixNano');
        break;
      case 0x4a: {
        const kvStart = r.field();
        readKeyValue(r, kvStart, r.fieldEnd, s.attributes, 0, selection);
        r.end = end;
        if (fieldStart === attrEnd) attrEnd = r.pos;
        else {
          if (attrStart >= 0) (pieces ??= []).push(r.buf.subarray(attrStart, attrEnd));
          attrStart = fieldStart;
          attrEnd = r.pos;
        }
        break;
      }
      case 0x6a:
        s.links.push(link(r, r.len()));
        break;
      case 0x7a: {
        const [statusStart, statusEnd] = r.len();
        const after = r.pos;
        r.pos = statusStart;
        r.end = statusEnd;
        while (!r.done) {
          const t = r.uint32();
          if (t === 0x12) s.statusMessage = r.string() || null;
          else if (t === 0x18) s.statusCode = r.uint32();
          else r.skip(t & 7);
        }
        r.pos = after;
        r.end = end;
        break;
      }
      default:
        r.skip(tag & 7);
    }
  }
  if (s.traceId === '') throw new OtlpDecodeError('traceId must be 16 bytes, got 0');
  if (s.spanId === '') throw new OtlpDecodeError('spanId must be 8 bytes, got 0');
  const last = attrStart >= 0 ? r.buf.subarray(attrStart, attrEnd) : Buffer.alloc(0);
  s.rawAttributes = pieces === null ? last : Buffer.concat([...pieces, last]);
  return s;
}

/** ScopeSpans{2 spans} in [start, end). */
function scopeSpans(
  r: ProtoReader,
  start: number,
  end: number,
  resource: Attributes,
  out: DecodedSpan[],
  selection: AttributeSelection | null,
): void {
  // Span payload ranges, flat [start, end, start, end, ...].
  const spans: number[] = [];
  r.pos = start;
  r.end = end;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x12) spans.push(r.field(), r.fieldEnd);
    else r.skip(tag & 7);
  }
  for (let i = 0; i < spans.length; i += 2) out.push(span(r, spans[i]!, spans[i + 1]!, resource, selection));
}

/**
 * With a selection (the ingest path passes MESSAGING_ATTRIBUTES), only the
 * selected attributes become JS values; every attribute is still validated
 * and kept in rawAttributes, so what is stored is the same either way.
 */
export function decodeTracesProtobuf(
  body: Uint8Array,
  selection: DecodeSelection | null = null,
): DecodedSpan[] {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const r = new ProtoReader(buf, 0, buf.length);
  const resourceSpans: [number, number][] = [];
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) resourceSpans.push(r.len());
    else r.skip(tag & 7);
  }
  const out: DecodedSpan[] = [];
  for (const [rsStart, rsEnd] of resourceSpans) {
    // The resource may follow its scope spans on the wire: collect both first.
    const resource: Attributes = {};
    const scopes: [number, number][] = [];
    r.pos = rsStart;
    r.end = rsEnd;
    while (!r.done) {
      const tag = r.uint32();
      if (tag === 0x0a) {
        const [s, e] = r.len();
        keyValues(r, s, e, resource, 0, selection?.resource ?? null);
      } else if (tag === 0x12) scopes.push(r.len());
      else r.skip(tag & 7);
    }
    for (const [s, e] of scopes) scopeSpans(r, s, e, resource, out, selection?.span ?? null);
  }
  return out;
}
