import type { Masker } from '@/lib/masking';
import type { StoredLink, StoredSpan, TelemetryStore } from '@/lib/store/types';
import { buildJourney } from './journey-builder';
import { type Journey, JourneyNotFoundError } from './journey-model';

export type { Journey };
export { JourneyNotFoundError };

export type JourneyQuery = { traceId: string } | { messageId: string } | { conversationId: string };

/** Bounds that keep one journey request cheap whatever the data looks like. */
const MAX_SPANS = 2000;
const MAX_TRACES = 50;
const MAX_ROUNDS = 4;
/** Slack for lower time bounds: clock skew between hosts and long polls started before the send. */
const SKEW_US = 15 * 60 * 1e6;

function describe(q: JourneyQuery): string {
  if ('traceId' in q) return `trace id ${q.traceId}`;
  if ('messageId' in q) return `message id ${q.messageId}`;
  return `conversation id ${q.conversationId}`;
}

/**
 * Loads a message's journey: the spans matching the id, then every span of
 * their traces, then traces reached through span links in either direction
 * (a consumer in link mode starts its own trace; a DLQ replay starts a new
 * trace linked to the original), a few rounds deep and within size bounds.
 * Span attributes and status messages come out masked.
 */
export async function getJourney(
  store: TelemetryStore,
  query: JourneyQuery,
  masker: Masker,
): Promise<Journey> {
  const seed = await store.findSpans(
    'traceId' in query
      ? { traceIds: [query.traceId.toLowerCase()] }
      : 'messageId' in query
        ? { messageIds: [query.messageId] }
        : { conversationIds: [query.conversationId] },
    MAX_SPANS,
  );
  if (seed.length === 0) {
    throw new JourneyNotFoundError(
      `no messaging spans with ${describe(query)}. Spans are kept for SIGNALBOX_RETENTION_HOURS; a message whose ` +
        'trace was sampled out has no spans (its latency still counts in /api/latency when metrics are sent); ' +
        'check the id, or search any id with GET /api/search?q=…',
    );
  }
  const spans = new Map<string, StoredSpan>(seed.map((s) => [s.traceId + s.spanId, s]));
  const add = (list: StoredSpan[]) => list.forEach((s) => spans.set(s.traceId + s.spanId, s));
  const traces = new Set(seed.map((s) => s.traceId));
  // Lower time bounds, as pruning hints: a consumer's trace starts no earlier
  // than the send it consumed (less clock skew and long polls started before).
  const since = new Map<string, number>();
  const firstStart = (traceIds: string[]) =>
    Math.min(...[...spans.values()].filter((s) => traceIds.includes(s.traceId)).map((s) => s.startUs));
  // A trace-id query's seed already holds that whole trace.
  const loaded = new Set<string>('traceId' in query ? [query.traceId.toLowerCase()] : []);
  const probed = new Set<string>();
  let truncated = false;
  const discover = (traceId: string, notBefore?: number) => {
    if (traces.has(traceId)) return;
    if (traces.size >= MAX_TRACES) {
      truncated = true;
      return;
    }
    traces.add(traceId);
    if (notBefore !== undefined) since.set(traceId, notBefore - SKEW_US);
  };
  for (let round = 0; round < MAX_ROUNDS && spans.size < MAX_SPANS; round++) {
    // Producers: traces the loaded spans link to (a link mode consumer's send).
    for (const s of spans.values()) for (const l of s.links) discover(l.traceId);
    const fresh = [...traces].filter((t) => !loaded.has(t));
    const unprobed = [...traces].filter((t) => !probed.has(t));
    if (fresh.length === 0 && unprobed.length === 0) break;
    fresh.forEach((t) => loaded.add(t));
    unprobed.forEach((t) => probed.add(t));
    // Traces found through a consumer are only needed from a little before it (bounded ones share
    // the earliest bound); producers' traces can start any time before.
    const bounded = fresh.filter((t) => since.has(t));
    const boundedSince = bounded.length > 0 ? Math.min(...bounded.map((t) => since.get(t)!)) : undefined;
    // Consumers start after the traces they consume from: bound by what is known of each trace.
    const known = unprobed.map((t) => Math.min(since.get(t) ?? Infinity, firstStart([t]) - SKEW_US));
    const consumerBound = known.some((b) => !Number.isFinite(b)) ? undefined : Math.min(...known);
    // One lookup per round: the fresh traces' spans and the unprobed traces' consumers together.
    const { own, linking: consumers } = await store.journeySpans(
      {
        traces: fresh.map((traceId) => ({ traceId, sinceUs: since.has(traceId) ? boundedSince : undefined })),
        linkedTraces: unprobed,
        linkedSinceUs: consumerBound,
      },
      MAX_SPANS,
    );
    add(own);
    add(consumers);
    for (const c of consumers) discover(c.traceId, c.startUs);
  }
  if (spans.size >= MAX_SPANS || [...traces].some((t) => !loaded.has(t))) truncated = true;
  const links: StoredLink[] = [...spans.values()].flatMap((s) =>
    s.links.map((l) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      linkedTraceId: l.traceId,
      linkedSpanId: l.spanId,
    })),
  );
  const ordered = [...spans.values()].sort((a, b) => a.startUs - b.startUs).slice(0, MAX_SPANS);
  // Links to spans we did not load (e.g. an HTTP span) are kept: they still show the connection.
  return buildJourney(query, ordered, links, truncated, masker);
}

/** One way an id matched: GET /api/search?q= resolves any id to journeys. */
export interface SearchMatch {
  kind: 'trace' | 'message' | 'conversation';
  id: string;
  traceIds: string[];
  firstSeen: string;
  services: string[];
  destinations: string[];
  /** The journey API for this match. */
  journey: string;
}

export async function searchId(store: TelemetryStore, q: string): Promise<SearchMatch[]> {
  const id = q.trim();
  if (id === '') return [];
  const isTraceId = /^[0-9a-fA-F]{32}$/.test(id);
  const found = await store.findSpans(
    { traceIds: isTraceId ? [id.toLowerCase()] : [], messageIds: [id], conversationIds: [id] },
    MAX_SPANS,
  );
  const matches: SearchMatch[] = [];
  const add = (kind: SearchMatch['kind'], param: string, list: StoredSpan[]) => {
    if (list.length === 0) return;
    matches.push({
      kind,
      id,
      traceIds: [...new Set(list.map((s) => s.traceId))],
      firstSeen: new Date(Math.min(...list.map((s) => s.startUs)) / 1000).toISOString(),
      services: [...new Set(list.map((s) => s.service))],
      destinations: [...new Set(list.flatMap((s) => (s.destination ? [s.destination] : [])))],
      journey: `/api/journeys?${param}=${encodeURIComponent(id)}`,
    });
  };
  add('trace', 'traceId', isTraceId ? found.filter((s) => s.traceId === id.toLowerCase()) : []);
  add(
    'message',
    'messageId',
    found.filter((s) => s.messageId === id),
  );
  add(
    'conversation',
    'conversationId',
    found.filter((s) => s.conversationId === id),
  );
  return matches;
}
