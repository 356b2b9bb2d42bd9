import type { PathwayEdge } from '@/lib/model/series';
import type { SeriesTotals, TelemetryStore, TimeWindow, TraceRouteRow } from '@/lib/store/types';
import { percentilesMs } from '@/lib/model/histogram';
import type { EdgeKind } from './edge-figures';
import { type FlowEdge, analyseFlows } from './flows';
import { type RouteHop, rebuildRoute, routeId } from './pathway-route';
import { type Source, combine } from './series-pick';
import type { TimeRange } from './time-range';

/** Latency figures; `source` says whether they come from metrics (exact under sampling) or spans. */
export interface LatencyFigures {
  messages: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  source: Source | null;
}

/** End to end: from the origin's send to the start of processing at the final consumer. */
export interface PathwayLatency extends LatencyFigures {
  /** The pathway hash, or `route-…` for a route seen only in traces. */
  id: string;
  hash: string | null;
  /** The sends along the way, origin first. */
  route: RouteHop[];
  /** False when part of the route is unknown (an uninstrumented hop upstream). */
  complete: boolean;
  consumer: { service: string; consumerGroup: string | null; system: string; destination: string };
  hops: number;
  previous: LatencyFigures | null;
}

/** One flow edge's latency (publish: the send; delivery: send → processing start). */
export interface EdgeLatency extends LatencyFigures {
  edgeId: string;
  latencyKind: 'publish' | 'delivery';
  /** See FlowEdge.deliveryEnd. */
  deliveryEnd: 'process' | 'receive' | null;
  sourceNodeId: string;
  targetNodeId: string;
  /** The nodes' short names, as the Flows graph shows them (FlowNode.label). */
  sourceLabel: string;
  targetLabel: string;
  system: string;
  consumerGroup: string | null;
  previous: LatencyFigures | null;
}

/** GET /api/latency. */
export interface LatencyReport {
  from: string;
  to: string;
  /** The comparison window, when compareTo was given (ISO-8601). */
  compare: { from: string; to: string } | null;
  pathways: PathwayLatency[];
  edges: EdgeLatency[];
}

type Current = Omit<PathwayLatency, 'previous'> & { seriesIds: number[] };

// Edges are grouped by analyseFlows (flows.ts): these must include every kind it reads.
const LATENCY_KINDS = ['pathway', 'publish', 'sent', 'delivery', 'consumed', 'process', 'receive'] as const;
const TRACE_ROUTE_LIMIT = 50_000;

/** Pathways from rollups: per (hash, consumer), metrics when present, spans otherwise. Pure. */
export function pathwaysFromSeries(
  totals: readonly SeriesTotals[],
  segments: ReadonlyMap<string, PathwayEdge>,
): Current[] {
  const groups = new Map<string, SeriesTotals[]>();
  for (const t of totals) {
    const d = t.dims;
    if (d.kind !== 'pathway' || d.pathwayHash === null) continue;
    const key = JSON.stringify([d.pathwayHash, d.service, d.consumerGroup, d.system, d.destination]);
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const out: Current[] = [];
  for (const series of groups.values()) {
    const metrics = series.filter((s) => s.dims.source === 'metrics' && s.latencyCount > 0);
    const chosen = metrics.length > 0 ? metrics : series.filter((s) => s.dims.source === 'spans');
    const c = combine(chosen);
    if (c.latencyCount === 0) continue;
    const d = series[0]!.dims;
    const { route, complete } = rebuildRoute(d.pathwayHash!, segments);
    out.push({
      id: d.pathwayHash!,
      hash: d.pathwayHash,
      route,
      complete,
      consumer: {
        service: d.service,
        consumerGroup: d.consumerGroup,
        system: d.system,
        destination: d.destination,
      },
      hops: segments.get(d.pathwayHash!)?.hops ?? route.length,
      messages: c.latencyCount,
      ...percentilesMs(c.buckets, { min: c.latencyMin, max: c.latencyMax }),
      source: metrics.length > 0 ? 'metrics' : 'spans',
      seriesIds: c.seriesIds,
    });
  }
  return out.sort((a, b) => (b.p99Ms ?? 0) - (a.p99Ms ?? 0));
}

/** Exact percentiles of raw values (ms). */
function exactPercentiles(valuesUs: number[]) {
  const sorted = [...valuesUs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!) / 1000;
  return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
}

/**
 * Pathways from trace routes, for services without pathway data: a trace's
 * sends in order, its last consumer, and first send → last processing start.
 * Parent-child traces (most SDKs' default) carry the whole multi-hop journey.
 */
export function pathwaysFromTraces(rows: readonly TraceRouteRow[]): Current[] {
  const groups = new Map<string, TraceRouteRow[]>();
  for (const row of rows) {
    if (row.route.length === 0) continue;
    const key = routeId(row.route, row.consumer);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([id, list]): Current => {
      const { route, consumer } = list[0]!;
      const last = route.at(-1)!;
      return {
        id,
        hash: null,
        route,
        complete: true,
        consumer: {
          service: consumer,
          consumerGroup: null,
          system: last.system,
          destination: last.destination,
        },
        hops: route.length,
        messages: list.length,
        ...exactPercentiles(list.map((r) => r.e2eUs)),
        source: 'spans',
        seriesIds: [],
      };
    })
    .sort((a, b) => (b.p99Ms ?? 0) - (a.p99Ms ?? 0));
}

async function currentPathways(
  store: TelemetryStore,
  window: TimeWindow,
  totals: SeriesTotals[],
): Promise<Current[]> {
  const segments = new Map((await store.pathways()).map((p) => [p.hash, p]));
  const fromSeries = pathwaysFromSeries(totals, segments);
  if (fromSeries.length > 0) return fromSeries;
  return pathwaysFromTraces(await store.traceRoutes(window, TRACE_ROUTE_LIMIT));
}

const figures = (x: LatencyFigures): LatencyFigures => ({
  messages: x.messages,
  p50Ms: x.p50Ms,
  p95Ms: x.p95Ms,
  p99Ms: x.p99Ms,
  source: x.source,
});

const hasLatency = (e: FlowEdge): e is FlowEdge & { latencyKind: EdgeKind } => e.latencyKind !== 'route';

async function edgesAndPathways(store: TelemetryStore, range: TimeRange) {
  const totals = await store.seriesTotals(range, { kinds: LATENCY_KINDS });
  const { graph } = analyseFlows(range, totals);
  // Routes have no latency of their own: their messages' latency is on the deliveries after them.
  const labels = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const edges = graph.edges.filter(hasLatency).map((e) => ({
    edgeId: e.id,
    latencyKind: e.latencyKind,
    deliveryEnd: e.deliveryEnd,
    sourceNodeId: e.source,
    targetNodeId: e.target,
    sourceLabel: labels.get(e.source) ?? e.source,
    targetLabel: labels.get(e.target) ?? e.target,
    system: e.system,
    consumerGroup: e.consumerGroup,
    messages: e.latencySamples,
    p50Ms: e.p50Ms,
    p95Ms: e.p95Ms,
    p99Ms: e.p99Ms,
    source: e.sources.latency,
  }));
  return { edges, pathways: await currentPathways(store, range, totals) };
}

export async function getLatencyReport(
  store: TelemetryStore,
  range: TimeRange,
  compare: TimeWindow | null,
): Promise<LatencyReport> {
  const now = await edgesAndPathways(store, range);
  const before = compare ? await edgesAndPathways(store, { ...compare, from: '', to: '' }) : null;
  const previousPathway = new Map(before?.pathways.map((p) => [p.id, figures(p)]));
  const previousEdge = new Map(before?.edges.map((e) => [e.edgeId, figures(e)]));
  const iso = (us: number) => new Date(us / 1000).toISOString();
  return {
    from: range.from,
    to: range.to,
    compare: compare ? { from: iso(compare.fromUs), to: iso(compare.toUs) } : null,
    pathways: now.pathways.map(({ seriesIds: _ids, ...p }) => ({
      ...p,
      previous: previousPathway.get(p.id) ?? null,
    })),
    edges: now.edges.map((e) => ({ ...e, previous: previousEdge.get(e.edgeId) ?? null })),
  };
}

/** The series ids behind a pathway id (for its timeline); empty for trace-derived routes. */
export async function pathwaySeriesIds(
  store: TelemetryStore,
  range: TimeRange,
  id: string,
): Promise<Current | null> {
  const totals = await store.seriesTotals(range, { kinds: ['pathway'] });
  return (await currentPathways(store, range, totals)).find((p) => p.id === id) ?? null;
}
