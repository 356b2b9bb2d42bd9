import { PARSE_LIMITS } from './model.js';

/*
 * Readers for raw header values in every shape a client hands them over:
 * strings, Buffers/Uint8Arrays (Kafka always, AMQP byte arrays), numbers,
 * bigints, Dates, amqplib's typed values (`{ '!': 'timestamp', value }`), SQS
 * attribute objects (`{ DataType, StringValue }`) and arrays of any of these
 * (Kafka repeats a key by appending: the LAST value is the current one, as in
 * the Java client's `lastHeader`). Every reader returns null for anything it
 * cannot read, never throws, and looks at a bounded amount of data.
 */

/** Marks text cut to its limit. */
export const ELLIPSIS = '…';

/** Cuts `text` to `max` characters (marking the cut); never splits a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + ELLIPSIS;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false; // a revoked Proxy
  }
}

/**
 * The value itself once wrappers are removed: the last element of an array,
 * `value` of an amqplib typed value, `StringValue`/`BinaryValue` of an SQS
 * attribute. One level only: a self-containing ("cyclic") array or a wrapper
 * of a wrapper yields null instead of recursion.
 */
export function unwrap(value: unknown): unknown {
  try {
    let current = value;
    if (Array.isArray(current)) current = current.length > 0 ? current[current.length - 1] : undefined;
    if (current instanceof Uint8Array || current instanceof Date || !isRecord(current)) {
      return Array.isArray(current) ? null : current;
    }
    if ('!' in current && 'value' in current) return scalar(current.value);
    if ('DataType' in current) {
      if (typeof current.StringValue === 'string') return current.StringValue;
      if (current.BinaryValue instanceof Uint8Array) return current.BinaryValue;
      return null;
    }
    return current;
  } catch {
    return null;
  }
}

const scalar = (value: unknown) => (isRecord(value) || Array.isArray(value) ? null : value);

function bytesToText(bytes: Uint8Array, max: number): string {
  const limit = Math.min(bytes.byteLength, max * 4, PARSE_LIMITS.bytes);
  const decoded = Buffer.from(bytes.buffer, bytes.byteOffset, limit).toString('utf8');
  return limit < bytes.byteLength ? decoded + ELLIPSIS : decoded;
}

// C0 controls other than tab, LF and CR, and DEL: binary junk, never text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Removes control characters (other than tab and newlines) and bounds the length; keeps spaces. */
export function sanitize(value: string, max: number): string | null {
  const out = clip(value.length > max * 2 ? value.slice(0, max * 2) : value, max).replace(CONTROL, '');
  return out.trim() === '' ? null : out;
}

/**
 * A value as text, at most `max` characters, with control characters (other
 * than tab and newlines) removed. Numbers, bigints and booleans are printed;
 * Dates become ISO strings; empty text is null.
 */
export function text(raw: unknown, max: number = PARSE_LIMITS.text): string | null {
  const value = unwrap(raw);
  let out: string;
  if (typeof value === 'string') out = value.length > max * 2 ? value.slice(0, max * 2) : value;
  else if (value instanceof Uint8Array) out = bytesToText(value, max);
  else if (typeof value === 'number' && Number.isFinite(value)) out = String(value);
  else if (typeof value === 'bigint' || typeof value === 'boolean') out = String(value);
  else if (value instanceof Date) out = isoFromMs(value.getTime()) ?? '';
  else return null;
  out = out.replace(CONTROL, '');
  // Multi-line text (stack traces) keeps its first line's indentation.
  out = out.includes('\n') ? out.trimEnd() : out.trim();
  return out.trim() === '' ? null : clip(out, max);
}

// Spring Kafka writes partitions as 4-byte and offsets/timestamps as 8-byte
// big-endian binary, other writers as decimal text. A binary value whose
// every byte is an ASCII digit would be at least 0x30303030 (808 million),
// never a real partition or attempt count, so "all digits" means text.
function isAsciiDigits(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0 || bytes.byteLength > 20) return false;
  for (const byte of bytes) if (byte < 0x30 || byte > 0x39) return false;
  return true;
}

/**
 * A 64-bit integer as a decimal string: numbers, bigints, decimal text
 * (optionally signed) and 1/2/4/8-byte big-endian binary.
 */
export function int64(raw: unknown): string | null {
  const value = unwrap(raw);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value === 'bigint') return value >= -(2n ** 63n) && value < 2n ** 63n ? String(value) : null;
  if (value instanceof Uint8Array && !isAsciiDigits(value)) {
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    switch (value.byteLength) {
      case 1:
        return String(view.getInt8(0));
      case 2:
        return String(view.getInt16(0));
      case 4:
        return String(view.getInt32(0));
      case 8:
        return String(view.getBigInt64(0));
      default:
        return null;
    }
  }
  const digits = text(value, 32);
  if (digits === null || !/^[+-]?\d{1,19}$/.test(digits)) return null;
  const parsed = BigInt(digits);
  return parsed >= -(2n ** 63n) && parsed < 2n ** 63n ? String(parsed) : null;
}

/** A non-negative integer that fits a JS number exactly, or null. */
export function count(raw: unknown): number | null {
  const digits = int64(raw);
  if (digits === null) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) && value >= 0 ? value : null;
}

// Times outside this window are junk or a unit mix-up, not a failure time.
const MIN_MS = Date.UTC(1990, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

/** Unix milliseconds as an ISO string, or null when out of range. */
export function isoFromMs(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return null;
  return new Date(Math.trunc(ms)).toISOString();
}

/**
 * Epoch numbers in an unknown unit: the magnitude tells seconds (AMQP
 * timestamps), milliseconds (Kafka, SQS, BullMQ), microseconds or
 * nanoseconds (NATS) apart for any date between 1990 and 2200.
 */
function msFromEpoch(value: number): number {
  const abs = Math.abs(value);
  if (abs < 1e11) return value * 1e3;
  if (abs < 1e14) return value;
  if (abs < 1e17) return value / 1e3;
  return value / 1e6;
}

// NServiceBus's wire format: `2024-01-15 10:30:00:123456 Z`.
const NSERVICEBUS_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}):(\d{1,7}) Z$/;

/**
 * A point in time as ISO 8601 UTC: Dates, epoch numbers in any unit (see
 * above), decimal text or 8-byte binary epochs, and date strings (ISO 8601,
 * RFC 1123, NServiceBus's format). Null when unreadable or not between 1990
 * and 2200.
 */
export function time(raw: unknown): string | null {
  const value = unwrap(raw);
  if (value instanceof Date) return isoFromMs(value.getTime());
  if (typeof value === 'number') return isoFromMs(msFromEpoch(value));
  const asInt = int64(value);
  if (asInt !== null) return isoFromMs(msFromEpoch(Number(asInt)));
  const str = text(value, 64);
  if (str === null) return null;
  const nsb = NSERVICEBUS_TIME.exec(str);
  const parsed = nsb
    ? Date.parse(`${nsb[1]}T${nsb[2]}.${(nsb[3] ?? '').slice(0, 3).padEnd(3, '0')}Z`)
    : Date.parse(str);
  return isoFromMs(parsed);
}

/** A plain object (not an array, Buffer or Date), or null. */
export function object(raw: unknown): Record<string, unknown> | null {
  try {
    return isRecord(raw) && !(raw instanceof Uint8Array) && !(raw instanceof Date) ? raw : null;
  } catch {
    return null;
  }
}

/** An object, or JSON text/bytes holding one (how BullMQ and SQS store them), or null. Never throws. */
export function record(raw: unknown): Record<string, unknown> | null {
  if (typeof raw === 'string' || raw instanceof Uint8Array) return parseJsonRecord(raw);
  return object(raw);
}

/** Parses JSON text (or bytes) that must be an object; bounded; null otherwise. */
export function parseJsonRecord(raw: string | Uint8Array): Record<string, unknown> | null {
  const str = typeof raw === 'string' ? raw : bytesToText(raw, PARSE_LIMITS.bytes);
  if (str.length > PARSE_LIMITS.bytes) return null;
  try {
    const parsed: unknown = JSON.parse(str);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** Reads property `key` of an object; a throwing getter counts as absent. */
export function prop(obj: unknown, key: string): unknown {
  try {
    return isRecord(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
  } catch {
    return undefined;
  }
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A valid W3C traceparent (lowercased), or null. Rejects the all-zero ids
 * and version `ff` the W3C spec forbids.
 */
export function traceparent(raw: unknown): string | null {
  const value = text(raw, 128)?.toLowerCase();
  const match = value ? TRACEPARENT.exec(value) : null;
  if (!match || match[1] === 'ff') return null;
  if (/^0+$/.test(match[2] ?? '') || /^0+$/.test(match[3] ?? '')) return null;
  return value ?? null;
}
