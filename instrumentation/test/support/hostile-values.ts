/*
 * Seeded generators of hostile header input for carrier fuzz tests. Seeded so
 * a failure reproduces: the failing seed and iteration are in the test name
 * or message. No dependencies beyond Node.
 */

/** mulberry32: a tiny, well-distributed 32-bit PRNG; good enough to pick test cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

// Built once: big enough to expose anything that copies or scans input
// without a size check, shared so the fuzz loop itself stays cheap.
const HUGE_STRING = 'a'.repeat(4 * 1024 * 1024);
const HUGE_BUFFER = Buffer.alloc(4 * 1024 * 1024, 0x41);
const HUGE_ARRAY: unknown[] = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'x' : 'traceparent'));

const throwingObject = () =>
  Object.defineProperty({}, 'DataType', {
    enumerable: true,
    get() {
      throw new Error('hostile getter');
    },
  });

const throwingProxy = () =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('hostile proxy get');
      },
      ownKeys() {
        throw new Error('hostile proxy ownKeys');
      },
      has() {
        throw new Error('hostile proxy has');
      },
      getOwnPropertyDescriptor() {
        throw new Error('hostile proxy descriptor');
      },
    },
  );

const TRACE_LIKE = [
  VALID_TRACEPARENT,
  VALID_TRACEPARENT.toUpperCase(),
  'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  '00-00000000000000000000000000000000-b7ad6b7169203331-01',
  '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
  '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331',
  `${VALID_TRACEPARENT}\r\ninjected: yes`,
  `${VALID_TRACEPARENT}\u0000`,
  'vendor=1,other=2',
  `${'k=v,'.repeat(5000)}`,
  '1:0123456789abcdef:1700000000000:1700000000000:1',
  '1:0123456789abcdef:99999999999999999999:1:1',
  '{"traceparent":"' + VALID_TRACEPARENT + '"}',
  '{"traceparent":123,"__proto__":{"x":1}}',
  '{',
  '',
  ' ',
];

/** One random hostile value: strings (trace-like, junk, huge), bytes, numbers, arrays, objects that throw. */
export function hostileValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * 22);
  switch (pick) {
    case 0:
    case 1:
    case 2:
      return TRACE_LIKE[Math.floor(random() * TRACE_LIKE.length)];
    case 3:
      return randomString(random, Math.floor(random() * 200));
    case 4:
      return HUGE_STRING;
    case 5:
      return Buffer.from(randomString(random, Math.floor(random() * 100)));
    case 6:
      return HUGE_BUFFER;
    case 7:
      return Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
    case 8:
      return [random() * 1e9, Number.NaN, -0, Infinity][Math.floor(random() * 4)];
    case 9:
      return BigInt(Math.floor(random() * 1e6));
    case 10:
      return random() < 0.5;
    case 11:
      return random() < 0.5 ? null : undefined;
    case 12:
      return Symbol('hostile');
    case 13:
      return () => VALID_TRACEPARENT;
    case 14:
      return depth > 2
        ? []
        : Array.from({ length: Math.floor(random() * 5) }, () => hostileValue(random, depth + 1));
    case 15:
      return HUGE_ARRAY;
    case 16:
      return throwingObject();
    case 17:
      return throwingProxy();
    case 18:
      return depth > 2 ? {} : hostileRecord(random, depth + 1);
    case 19:
      return Object.create(null) as object;
    case 20:
      return { toString: () => VALID_TRACEPARENT, valueOf: () => 1 };
    default:
      return new Date(random() * 1e13);
  }
}

/** A random object of hostile values under trace-related and random keys (including `__proto__`). */
export function hostileRecord(random: () => number, depth = 0): Record<string, unknown> {
  const keys = ['traceparent', 'Traceparent', 'TRACESTATE', 'tracestate', 'baggage', 'signalbox-pathway'];
  keys.push('signalbox-context', '__proto__', 'constructor', randomString(random, 8));
  const record: Record<string, unknown> = {};
  const count = Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const key = keys[Math.floor(random() * keys.length)] ?? 'x';
    Object.defineProperty(record, key, {
      value: hostileValue(random, depth),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  return record;
}

/** Random text over the whole UTF-16 range, including lone surrogates and control characters. */
export function randomString(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const r = random();
    text += String.fromCharCode(r < 0.6 ? 0x20 + Math.floor(random() * 95) : Math.floor(random() * 0x10000));
  }
  return text;
}

/** The keys a carrier fuzz test reads. */
export const FUZZ_KEYS = [
  'traceparent',
  'tracestate',
  'baggage',
  'signalbox-pathway',
  'constructor',
  '__proto__',
];

/** Largest value any carrier may return (the packed/metadata caps are 2 × 8 KiB). */
export const MAX_RETURNED_LENGTH = 16 * 1024;
