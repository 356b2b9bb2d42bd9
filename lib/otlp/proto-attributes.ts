import { type AttributeValue, type Attributes, OtlpDecodeError } from '@/lib/model/telemetry';
import { type AttributeSelection, NOT_SELECTED } from './attribute-selection';
import { ByteStringCache } from './byte-strings';
import { ProtoReader, WIRE } from './proto-reader';

/**
 * OTLP attribute values on the wire (common.proto: KeyValue{1 key, 2 value};
 * AnyValue{1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes}),
 * read with ProtoReader for the trace decoder and for stored raw attributes.
 * Nesting is bounded so hostile input cannot exhaust the stack.
 */
const MAX_DEPTH = 32;

/** Attribute keys, and the low-cardinality values a selection marks, interned by their bytes (bounded). */
const keyCache = new ByteStringCache(1024);
const valueCache = new ByteStringCache(4096);

function tooDeep(depth: number): void {
  if (depth > MAX_DEPTH) throw new OtlpDecodeError(`attribute values nested deeper than ${MAX_DEPTH}`);
}

function anyValue(r: ProtoReader, end: number, depth: number, intern = false): AttributeValue {
  tooDeep(depth);
  const outer = r.end;
  r.end = end;
  let value: AttributeValue = null;
  while (!r.done) {
    const tag = r.uint32();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === WIRE.LEN) {
      if (intern) {
        const start = r.field();
        value = valueCache.get(r.buf, start, r.fieldEnd);
      } else value = r.string();
    } else if (field === 2 && wire === WIRE.VARINT) value = r.uint32() !== 0;
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

/**
 * Reads KeyValue messages in [start, end) (repeated field 1: a KeyValueList, or a Resource's
 * attributes) into `into`, with `selection` as readKeyValue takes it; leaves the reader as it was.
 */
export function keyValues(
  r: ProtoReader,
  start: number,
  end: number,
  into: Attributes,
  depth: number,
  selection: AttributeSelection | null = null,
): Attributes {
  const saved = r.pos;
  const outer = r.end;
  r.pos = start;
  r.end = end;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) {
      const [s, e] = r.len();
      readKeyValue(r, s, e, into, depth, selection);
      r.end = end;
    } else r.skip(tag & 7);
  }
  r.pos = saved;
  r.end = outer;
  return into;
}

/**
 * Walks an AnyValue in [r.pos, end) exactly as anyValue reads it, failing
 * where anyValue fails, without building anything: attributes a selection
 * skips are still validated, so a malformed body is refused (400) whichever
 * attributes the decoder keeps.
 */
function checkAnyValue(r: ProtoReader, end: number, depth: number): void {
  tooDeep(depth);
  const outer = r.end;
  r.end = end;
  while (!r.done) {
    const tag = r.uint32();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if ((field === 5 || field === 6) && wire === WIRE.LEN) {
      // ArrayValue{1 repeated AnyValue} and KeyValueList{1 repeated KeyValue}: both nest one level deeper.
      const start = r.field();
      const stop = r.fieldEnd;
      const after = r.pos;
      r.pos = start;
      r.end = stop;
      while (!r.done) {
        const t = r.uint32();
        if (t === 0x0a) {
          const s = r.field();
          const e = r.fieldEnd;
          const next = r.pos;
          r.pos = s;
          if (field === 5) checkAnyValue(r, e, depth + 1);
          else checkKeyValue(r, e, depth + 1);
          r.pos = next;
          r.end = stop;
        } else r.skip(t & 7);
      }
      r.pos = after;
      r.end = end;
    } else r.skip(wire);
  }
  r.end = outer;
}

/** checkAnyValue for a KeyValue message in [r.pos, end). */
function checkKeyValue(r: ProtoReader, end: number, depth: number): void {
  r.end = end;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x12) {
      const s = r.field();
      const e = r.fieldEnd;
      const next = r.pos;
      r.pos = s;
      checkAnyValue(r, e, depth);
      r.pos = next;
      r.end = end;
    } else r.skip(tag & 7);
  }
}

/**
 * One KeyValue message in [start, end). With a selection, only selected keys
 * are decoded into `into` (with interned keys, and interned values where the
 * selection says so); the others are only validated.
 */
export function readKeyValue(
  r: ProtoReader,
  start: number,
  end: number,
  into: Attributes,
  depth: number,
  selection: AttributeSelection | null = null,
): void {
  const after = r.pos;
  r.pos = start;
  r.end = end;
  // Ranges first: the key may follow its value on the wire.
  let keyStart = -1;
  let keyEnd = -1;
  let valueStart = -1;
  let valueEnd = -1;
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x0a) {
      keyStart = r.field();
      keyEnd = r.fieldEnd;
    } else if (tag === 0x12) {
      // A repeated value field: the last one wins, the earlier ones must still be valid.
      if (valueStart >= 0) validateValue(r, valueStart, valueEnd, end, depth);
      valueStart = r.field();
      valueEnd = r.fieldEnd;
    } else r.skip(tag & 7);
  }
  const match = selection === null || keyStart < 0 ? NOT_SELECTED : selection.match(r.buf, keyStart, keyEnd);
  if (selection !== null && match === NOT_SELECTED) {
    if (valueStart >= 0) validateValue(r, valueStart, valueEnd, end, depth);
  } else {
    const key =
      match >= 0 ? selection!.key(match) : keyStart < 0 ? '' : keyCache.get(r.buf, keyStart, keyEnd);
    let value: AttributeValue = null;
    if (valueStart >= 0) {
      const next = r.pos;
      r.pos = valueStart;
      value = anyValue(r, valueEnd, depth, match >= 0 && selection!.internsValue(match));
      r.pos = next;
      r.end = end;
    }
    into[key] = value;
  }
  r.pos = after;
}

function validateValue(r: ProtoReader, start: number, stop: number, end: number, depth: number): void {
  const next = r.pos;
  r.pos = start;
  checkAnyValue(r, stop, depth);
  r.pos = next;
  r.end = end;
}

/** Attributes stored as raw protobuf (Span field 9 KeyValues, see DecodedSpan.rawAttributes), decoded again. */
export function decodeAttributeFields(bytes: Uint8Array): Attributes {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new ProtoReader(buf, 0, buf.length);
  const out: Attributes = {};
  while (!r.done) {
    const tag = r.uint32();
    if (tag === 0x4a) {
      const s = r.field();
      readKeyValue(r, s, r.fieldEnd, out, 0);
      r.end = buf.length;
    } else r.skip(tag & 7);
  }
  return out;
}
