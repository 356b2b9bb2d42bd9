import { OtlpDecodeError } from '@/lib/model/telemetry';

/**
 * A minimal protobuf wire-format reader over one buffer, for the trace
 * decoder's hot path (https://protobuf.dev/programming-guides/encoding/).
 * Every read is bounds-checked against the end of the current message and
 * fails with OtlpDecodeError, so malformed input can never read outside the
 * body or loop forever.
 */
export const WIRE = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

const TWO_32 = 4294967296;

function fail(what: string): never {
  throw new OtlpDecodeError(`body is not a valid protobuf message: ${what}`);
}

export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint (tags, lengths, enums), exact up to 2^53. */
  uint32(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) fail('truncated varint');
      const byte = this.buf[this.pos++]!;
      if (i < 8) result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
      if (i === 9) fail('varint longer than 10 bytes');
    }
  }

  /** A varint as a signed 64-bit number (exact up to 2^53; int64 values arrive here). */
  int64(): number {
    let low = 0;
    let high = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) fail('truncated varint');
      const byte = this.buf[this.pos++]!;
      if (shift < 28) low |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >>> 4;
      } else high |= (byte & 0x7f) << (shift - 32);
      if (byte < 0x80) break;
      shift += 7;
      if (shift > 63) fail('varint longer than 10 bytes');
    }
    return (high | 0) * TWO_32 + (low >>> 0);
  }

  /** A fixed64 as a number (nanosecond times: exact to ±128 ns). */
  fixed64(): number {
    if (this.pos + 8 > this.end) fail('truncated fixed64');
    const low = this.buf.readUInt32LE(this.pos);
    const high = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return high * TWO_32 + low;
  }

  double(): number {
    if (this.pos + 8 > this.end) fail('truncated double');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** End of the payload of the last `field()` call. */
  fieldEnd = 0;

  /**
   * Start of a length-delimited field's payload, its end in `fieldEnd`; the
   * reader moves past it. The hot paths use this rather than `len()`: no
   * tuple allocated per field (garbage collection was an eighth of ingest).
   */
  field(): number {
    const length = this.uint32();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) fail('length-delimited field runs past its message');
    this.pos = end;
    this.fieldEnd = end;
    return start;
  }

  /** Start and end of a length-delimited field's payload; the reader moves past it. */
  len(): [number, number] {
    const start = this.field();
    return [start, this.fieldEnd];
  }

  string(): string {
    const start = this.field();
    return start === this.fieldEnd ? '' : this.buf.toString('utf8', start, this.fieldEnd);
  }

  /**
   * Bytes as lowercase hex (ids). Node's native hex encoder: about twice as
   * fast as concatenating per-byte pieces, and it returns a flat string that
   * DuckDB's appender can take without flattening it first.
   */
  hex(): string {
    const start = this.field();
    return start === this.fieldEnd ? '' : this.buf.toString('hex', start, this.fieldEnd);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE.VARINT:
        this.int64();
        return;
      case WIRE.I64:
        this.pos += 8;
        break;
      case WIRE.LEN:
        this.field();
        return;
      case WIRE.I32:
        this.pos += 4;
        break;
      default:
        fail(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) fail('truncated field');
  }
}
