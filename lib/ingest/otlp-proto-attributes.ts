import { type AttributeValue, type Attributes, OtlpDecodeError } from './model';
import { ProtoReader, WIRE } from './proto-reader';

/**
 * OTLP attribute values on the wire (common.proto: KeyValue{1 key, 2 value};
 * AnyValue{1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes}),
 * read with ProtoReader for the trace decoder and for stored raw attributes.
 * Nesting is bounded so hostile input cannot exhaust the stack.
 */
const MAX_DEPTH = 32;

function anyValue(r: ProtoReader, end: number, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_DEPTH}`);
  const outer = r.end;
  r.end = end;
  let value: AttributeValue = null;
  while (!r.done) {
    const tag = r.uint32();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === WIRE.LEN) value = r.string();
    else if (field === 2 && wire === WIRE.VARINT) value = r.uint32() !== 0;
    else if (field === 3 && wire === WIRE.VARINT) value = r.int64();
    else if (field === 4 && wire === WIRE.I64) value = r.double();
    else if (field === 5 && wire === WIRE.LEN) value = list(r, r.len(), depth + 1);
    else if (field === 6 && wire === WIRE.LEN) {
      const [start, stop] = r.len();
      value = keyValues(r, start, stop, {}, depth + 1);
    } else if (field === 7 && wire === WIRE.LEN) {
      const [start, stop] = r.len();
      value = r.buf.toString('base64', start, stop);
    } else r.skip(wire);
  }
  r.end = outer;
  return value;
}

/** ArrayValue{1 repeated AnyValue}. */
function list(r: ProtoReader, [start, end]: [number, number], depth: number): AttributeValue[] {
  const saved = r.pos;
  const outer = r.end;
  r.pos = start;
  r.end = end;
  const out: AttributeValue[] = [];
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) {
      const [s, e] = r.len();
      const after = r.pos;
      r.pos = s;
      out.push(anyValue(r, e, depth));
      r.pos = after;
      r.end = end;
    } else r.skip(tag & 7);
  }
  r.pos = saved;
  r.end = outer;
  return out;
}

/** Reads KeyValue messages in [start, end) (repeated field 1) into `into`. */
export function keyValues(
  r: ProtoReader,
  start: number,
  end: number,
  into: Attributes,
  depth: number,
): Attributes {
  const saved = r.pos;
  const outer = r.end;
  r.pos = start;
  r.end = end;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) {
      const [s, e] = r.len();
      readKeyValue(r, s, e, into, depth);
      r.end = end;
    } else r.skip(tag & 7);
  }
  r.pos = saved;
  r.end = outer;
  return into;
}

/** One KeyValue message in [start, end). */
export function readKeyValue(
  r: ProtoReader,
  start: number,
  end: number,
  into: Attributes,
  depth: number,
): void {
  const after = r.pos;
  r.pos = start;
  r.end = end;
  let key = '';
  let value: AttributeValue = null;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) key = r.string();
    else if (tag === 0x12) {
      const [s, e] = r.len();
      const next = r.pos;
      r.pos = s;
      value = anyValue(r, e, depth);
      r.pos = next;
      r.end = end;
    } else r.skip(tag & 7);
  }
  into[key] = value;
  r.pos = after;
}

/** Attributes stored as raw protobuf (Span field 9 KeyValues, see DecodedSpan.rawAttributes), decoded again. */
export function decodeAttributeFields(bytes: Uint8Array): Attributes {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new ProtoReader(buf, 0, buf.length);
  const out: Attributes = {};
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x4a) {
      const [s, e] = r.len();
      readKeyValue(r, s, e, out, 0);
      r.end = buf.length;
    } else r.skip(tag & 7);
  }
  return out;
}
