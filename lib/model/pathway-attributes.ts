import { integer, text } from './attribute-readers';
import type { Attributes } from './telemetry';

/**
 * The Signalbox pathway as recorded on spans (instrumentation/PATHWAY.md,
 * "Span attributes"): send spans carry the hash and parent hash; process and
 * receive spans carry the incoming hash, origin and send times and hop count.
 */
export interface SpanPathway {
  /** 16 lowercase hex characters identifying the route origin → … → this destination. */
  hash: string;
  /** The route this one extends ("" at the origin); only on send spans. */
  parentHash: string | null;
  /** When the first message of the pathway was produced, epoch ms (process spans). */
  originMs: number | null;
  /** When this edge's send started, epoch ms (process spans). */
  sendMs: number | null;
  hops: number | null;
}

export const PATHWAY_ATTRIBUTES = {
  hash: 'signalbox.pathway.hash',
  parentHash: 'signalbox.pathway.parent_hash',
  originMs: 'signalbox.pathway.origin_ms',
  sendMs: 'signalbox.pathway.send_ms',
  hops: 'signalbox.pathway.hops',
} as const;

const HASH = /^[0-9a-f]{16}$/;

/** A plausible epoch-ms time: after 2000 and at most a day ahead of the span (PATHWAY.md parsing rules). */
function epochMs(value: number | null, spanStartMs: number): number | null {
  if (value === null || value < 946_684_800_000 || value > spanStartMs + 86_400_000) return null;
  return value;
}

/** Reads the pathway attributes; anything malformed is ignored (null), never thrown. */
export function readSpanPathway(attributes: Attributes, spanStartMs = Date.now()): SpanPathway | null {
  const hash = text(attributes, PATHWAY_ATTRIBUTES.hash);
  if (hash === null || !HASH.test(hash)) return null;
  const parent = attributes[PATHWAY_ATTRIBUTES.parentHash];
  const hops = integer(attributes, PATHWAY_ATTRIBUTES.hops);
  return {
    hash,
    parentHash: parent === '' || (typeof parent === 'string' && HASH.test(parent)) ? parent : null,
    originMs: epochMs(integer(attributes, PATHWAY_ATTRIBUTES.originMs), spanStartMs),
    sendMs: epochMs(integer(attributes, PATHWAY_ATTRIBUTES.sendMs), spanStartMs),
    hops: hops !== null && hops >= 1 && hops <= 1000 ? hops : null,
  };
}
