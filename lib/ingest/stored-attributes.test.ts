import { describe, expect, it } from 'vitest';
import { recordSpans, toProtobuf } from '@/lib/testing/otlp-fixtures';
import { decodeTracesProtobuf } from './otlp-proto';
import { ProtoReader } from '../otlp/proto-reader';
import { decodeStoredAttributes } from '../otlp/stored-attributes';

describe('stored attributes', () => {
  it('decodes raw protobuf attributes kept from the wire back to the same values', () => {
    const attributes = {
      'messaging.system': 'kafka',
      offset: 42,
      negative: -7,
      ratio: 0.5,
      ok: true,
      tags: ['a', 'b'],
    };
    const [span] = decodeTracesProtobuf(
      toProtobuf(recordSpans('svc', (tracer) => tracer.startSpan('s', { attributes }).end())),
    );
    expect(span!.rawAttributes![0]).toBe(0x4a);
    expect(decodeStoredAttributes(span!.rawAttributes!)).toEqual(attributes);
  });

  it('reads JSON text, and empty or damaged values as no attributes', () => {
    expect(decodeStoredAttributes(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(decodeStoredAttributes(new Uint8Array(0))).toEqual({});
    expect(decodeStoredAttributes(Buffer.from([0x4a, 0x7f]))).toEqual({});
  });
});

describe('ProtoReader', () => {
  it('reads int64 varints including negatives and refuses over-long ones', () => {
    // -1 as int64 is ten bytes of 0xff…0x01; 300 is 0xac 0x02.
    const buf = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xac, 0x02]);
    const r = new ProtoReader(buf, 0, buf.length);
    expect(r.int64()).toBe(-1);
    expect(r.int64()).toBe(300);
    const long = Buffer.alloc(11, 0xff);
    expect(() => new ProtoReader(long, 0, long.length).uint32()).toThrow(/longer than 10 bytes/);
    expect(() => new ProtoReader(Buffer.from([0x0a, 0x05, 1]), 0, 3).len()).toThrow(/past its message/);
  });
});
