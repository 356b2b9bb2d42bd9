/**
 * A seeded generator of malformed OTLP bodies for the fuzz test: byte-level
 * mutations of valid protobuf, text-level and structure-level mutations of
 * valid JSON, and hand-made pathological shapes. Seeded so a failure is
 * reproducible from the seed in the test name.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (rand: Rand, n: number) => Math.floor(rand() * n);

function randomBytes(rand: Rand, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = int(rand, 256);
  return out;
}

/** A length-delimited field with a varint length, to build nesting bombs. */
function field(tag: number, payload: Buffer): Buffer {
  const len: number[] = [];
  let n = payload.length;
  do {
    len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.concat([Buffer.from([tag]), Buffer.from(len), payload]);
}

/** AnyValue{arrayValue{values:[AnyValue{…}]}} nested `depth` times, inside a span attribute. */
export function nestedProtobuf(depth: number): Buffer {
  let value = field(0x0a, Buffer.from('x')); // stringValue
  for (let i = 0; i < depth; i++) value = field(0x2a, field(0x0a, value)); // arrayValue → values
  const kv = Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, value)]);
  const span = Buffer.concat([
    field(0x0a, Buffer.alloc(16, 1)),
    field(0x12, Buffer.alloc(8, 2)),
    field(0x4a, kv),
  ]);
  return field(0x0a, field(0x12, field(0x12, span)));
}

export function mutateProtobuf(valid: Uint8Array, rand: Rand): Uint8Array {
  const body = Buffer.from(valid);
  switch (int(rand, 7)) {
    case 0: // flip bytes
      for (let i = 0, n = 1 + int(rand, 8); i < n; i++) body[int(rand, body.length)] = int(rand, 256);
      return body;
    case 1: // truncate
      return body.subarray(0, int(rand, body.length));
    case 2: // insert garbage
      return Buffer.concat([
        body.subarray(0, int(rand, body.length)),
        randomBytes(rand, 1 + int(rand, 64)),
        body,
      ]);
    case 3: // a huge declared length
      return Buffer.concat([Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), body]);
    case 4: // pure noise
      return randomBytes(rand, int(rand, 2048));
    case 5: // duplicated slices
      return Buffer.concat([body, body.subarray(int(rand, body.length))]);
    default: // deep nesting
      return nestedProtobuf(500 + int(rand, 5000));
  }
}

const WEIRD: unknown[] = [
  null,
  true,
  -1,
  1e308,
  'NaN',
  '',
  'zz',
  [],
  {},
  [[[[]]]],
  '9'.repeat(40),
  { stringValue: 5 },
];

function replaceSomewhere(node: unknown, rand: Rand, depth = 0): unknown {
  if (Array.isArray(node)) {
    if (node.length === 0 || rand() < 0.15) return WEIRD[int(rand, WEIRD.length)];
    const copy: unknown[] = [...(node as unknown[])];
    const i = int(rand, copy.length);
    copy[i] = replaceSomewhere(copy[i], rand, depth + 1);
    return copy;
  }
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 0 || rand() < 0.15) return WEIRD[int(rand, WEIRD.length)];
    const key = keys[int(rand, keys.length)]!;
    return { ...node, [key]: replaceSomewhere((node as Record<string, unknown>)[key], rand, depth + 1) };
  }
  return WEIRD[int(rand, WEIRD.length)];
}

export function mutateJson(valid: string, rand: Rand): string {
  switch (int(rand, 6)) {
    case 0: {
      // delete a slice of characters
      const at = int(rand, valid.length);
      return valid.slice(0, at) + valid.slice(at + 1 + int(rand, 20));
    }
    case 1: {
      // insert a random character
      const at = int(rand, valid.length);
      return valid.slice(0, at) + String.fromCharCode(int(rand, 128)) + valid.slice(at);
    }
    case 2: // truncate
      return valid.slice(0, int(rand, valid.length));
    case 3: // deep nesting
      return `${'['.repeat(1000 + int(rand, 20000))}${']'.repeat(int(rand, 100))}`;
    default: // a structurally wrong value somewhere
      return JSON.stringify(replaceSomewhere(JSON.parse(valid), rand));
  }
}
