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
// longer input is rejected before any splitting or parsing.
const MAX_LENGTH = 64;
const HASH = /^[0-9a-f]{16}$/;
// Up to 15 digits keeps the value an exact JS integer (< 2^53).
const MS = /^\d{1,15}$/;
const HOPS = /^\d{1,4}$/;
const MAX_HOPS = 9999;
const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

/** Encodes a pathway header value. */
export function formatPathway(header: PathwayHeader): string {
  return `${PATHWAY_FORMAT_VERSION}:${header.hash}:${header.originMs}:${header.sendMs}:${header.hops}`;
}

/**
 * Decodes a header value, or returns undefined for anything that is not a
 * well-formed version-1 value: unknown versions, wrong field count,
 * non-digits, oversized values, hops out of 1..9999, or times more than a day
 * ahead of `nowMs`. Never throws.
 */
export function parsePathway(value: unknown, nowMs: number = Date.now()): PathwayHeader | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
  const parts = value.split(':');
  if (parts.length !== 5) return undefined;
  const [version, hash, origin, send, hops] = parts as [string, string, string, string, string];
  if (version !== PATHWAY_FORMAT_VERSION || !HASH.test(hash)) return undefined;
  if (!MS.test(origin) || !MS.test(send) || !HOPS.test(hops)) return undefined;
  const header: PathwayHeader = { hash, originMs: Number(origin), sendMs: Number(send), hops: Number(hops) };
  if (header.hops < 1 || header.hops > MAX_HOPS) return undefined;
  const limit = nowMs + MAX_FUTURE_MS;
  if (header.originMs > limit || header.sendMs > limit) return undefined;
  return header;
}
