/*
 * The `signalbox-pathway` header, format version 1 (PATHWAY.md):
 * `1:<pathwayHash>:<originMs>:<sendMs>:<hops>`.
 * The dashboard and every broker adapter share this one reader and writer.
 */

export const PATHWAY_HEADER = 'signalbox-pathway';
export const PATHWAY_FORMAT_VERSION = '1';

/** One decoded pathway header. */
export interface PathwayHeader {
  /** 16 lowercase hex chars identifying the route origin → … → this destination. */
  hash: string;
  /** Unix ms when the first message of this pathway was produced. */
  originMs: number;
  /** Unix ms when this edge's send started. */
  sendMs: number;
  /** 1 at the origin, +1 per produce. */
  hops: number;
}

// 1 + 16 hex + two 13-digit ms values + hops + separators stays far below this;
// longer input is rejected before any parsing.
const MAX_LENGTH = 64;
const HASH_LENGTH = 16;
// Up to 15 digits keeps the value an exact JS integer (< 2^53).
const MAX_MS_DIGITS = 15;
const MAX_HOPS_DIGITS = 4;
const MAX_HOPS = 9999;
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;
const COLON = 0x3a;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_A = 0x61;
const LOWER_F = 0x66;

/** Encodes a pathway header value. */
export function formatPathway(header: PathwayHeader): string {
  return `${PATHWAY_FORMAT_VERSION}:${header.hash}:${header.originMs}:${header.sendMs}:${header.hops}`;
}

/**
 * The unsigned decimal of 1..`maxDigits` digits starting at `from` and ending
 * at `value.length` or a colon, or -1. Its end is `from` + the digit count.
 * Read by hand rather than split and regex-tested: it runs once per message
 * consumed, and a split allocates five strings.
 */
function digitsAt(value: string, from: number, maxDigits: number): number {
  let n = 0;
  let i = from;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === COLON) break;
    if (c < ZERO || c > NINE || i - from >= maxDigits) return -1;
    n = n * 10 + (c - ZERO);
  }
  return i === from ? -1 : n;
}

/** The end of the field `digitsAt` read at `from` (the index of the next colon or the end). */
function fieldEnd(value: string, from: number): number {
  const colon = value.indexOf(':', from);
  return colon === -1 ? value.length : colon;
}

/**
 * Decodes a header value, or returns undefined for anything that is not a
 * well-formed version-1 value: unknown versions, wrong field count,
 * non-digits, oversized values, hops out of 1..9999, or times more than a day
 * ahead of `nowMs`. Never throws.
 */
export function parsePathway(value: unknown, nowMs: number = Date.now()): PathwayHeader | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
  // `1:` then 16 lowercase hex characters then `:`.
  if (value.charCodeAt(0) !== 0x31 || value.charCodeAt(1) !== COLON) return undefined;
  const hashEnd = 2 + HASH_LENGTH;
  if (value.charCodeAt(hashEnd) !== COLON) return undefined;
  for (let i = 2; i < hashEnd; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= ZERO && c <= NINE) || (c >= LOWER_A && c <= LOWER_F))) return undefined;
  }
  const originAt = hashEnd + 1;
  const originMs = digitsAt(value, originAt, MAX_MS_DIGITS);
  if (originMs < 0) return undefined;
  const sendAt = fieldEnd(value, originAt) + 1;
  if (value.charCodeAt(sendAt - 1) !== COLON) return undefined;
  const sendMs = digitsAt(value, sendAt, MAX_MS_DIGITS);
  if (sendMs < 0) return undefined;
  const hopsAt = fieldEnd(value, sendAt) + 1;
  if (value.charCodeAt(hopsAt - 1) !== COLON) return undefined;
  const hops = digitsAt(value, hopsAt, MAX_HOPS_DIGITS);
  // The hops field must be the last one: digitsAt stops at a colon.
  if (hops < 1 || hops > MAX_HOPS || fieldEnd(value, hopsAt) !== value.length) return undefined;
  const limit = nowMs + MAX_FUTURE_MS;
  if (originMs > limit || sendMs > limit) return undefined;
  return { hash: value.slice(2, hashEnd), originMs, sendMs, hops };
}
