/**
 * Reads the `signalbox-pathway` header (instrumentation/PATHWAY.md, v1):
 * `1:<pathwayHash>:<originMs>:<sendMs>:<hops>`. The lag readers use `sendMs` of the oldest unconsumed
 * message as its produce time. Parsing is strict and never throws: anything else is "no header".
 */
export const PATHWAY_HEADER = 'signalbox-pathway';

export interface Pathway {
  hash: string;
  originMs: number;
  sendMs: number;
  hops: number;
}

const DAY_MS = 86_400_000;
const FORMAT = /^1:([0-9a-f]{16}):(\d{1,15}):(\d{1,15}):(\d{1,6})$/;

/** The header's fields, or null when the value is missing, malformed, of another version or from the future. */
export function parsePathway(value: unknown, nowMs = Date.now()): Pathway | null {
  const text = Buffer.isBuffer(value) ? value.toString('latin1') : value;
  if (typeof text !== 'string' || text.length > 80) return null;
  const match = FORMAT.exec(text);
  if (!match) return null;
  const originMs = Number(match[2]);
  const sendMs = Number(match[3]);
  const hops = Number(match[4]);
  if (originMs > nowMs + DAY_MS || sendMs > nowMs + DAY_MS || hops < 1) return null;
  return { hash: match[1]!, originMs, sendMs, hops };
}
