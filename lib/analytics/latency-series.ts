import type { TelemetryStore } from '@/lib/store/types';
import { NotFoundError } from '@/lib/http/errors';
import { EdgeNotFoundError, type EdgeSeriesPoint, stepPoints } from './edge-detail';
import { type FlowSources, analyseFlowsFromStore } from './flows';
import { pathwaySeriesIds } from './latency';
import { routeId } from './pathway-route';
import type { Source } from './series-pick';
import type { TimeRange } from './time-range';

/** GET /api/latency/series: one pathway's or edge's percentiles over time. */
export interface LatencySeries {
  target: { pathway: string } | { edge: string };
  from: string;
  to: string;
  stepSeconds: number;
  source: Source | null;
  points: EdgeSeriesPoint[];
}

export class PathwayNotFoundError extends NotFoundError {
  override name = 'PathwayNotFoundError';
}

const iso = (us: number) => new Date(us / 1000).toISOString();

export async function getEdgeLatencySeries(
  sources: FlowSources,
  range: TimeRange,
  edgeId: string,
  stepUs: number,
): Promise<LatencySeries> {
  const { store } = sources;
  const { figures, graph } = await analyseFlowsFromStore(sources, range);
  const f = figures.get(edgeId);
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!f || !edge)
    throw new EdgeNotFoundError(
      `no edge ${JSON.stringify(edgeId)} in this range; take ids from GET /api/flows`,
    );
  const ids = [...new Set([...f.seriesIds.messages, ...f.seriesIds.errors, ...f.seriesIds.latency])];
  return {
    target: { edge: edgeId },
    from: range.from,
    to: range.to,
    stepSeconds: stepUs / 1e6,
    source: edge.sources.latency,
    points: stepPoints(await store.seriesTimeline(range, stepUs, ids), f.seriesIds, range, stepUs),
  };
}

export async function getPathwayLatencySeries(
  store: TelemetryStore,
  range: TimeRange,
  pathwayId: string,
  stepUs: number,
): Promise<LatencySeries> {
  const pathway = await pathwaySeriesIds(store, range, pathwayId);
  if (!pathway) {
    throw new PathwayNotFoundError(
      `no pathway ${JSON.stringify(pathwayId)} in this range; take ids from GET /api/latency for the same range`,
    );
  }
  const base = {
    target: { pathway: pathwayId },
    from: range.from,
    to: range.to,
    stepSeconds: stepUs / 1e6,
    source: pathway.source,
  };
  if (pathway.seriesIds.length > 0) {
    const ids = { messages: pathway.seriesIds, errors: [], latency: pathway.seriesIds };
    const steps = await store.seriesTimeline(range, stepUs, pathway.seriesIds);
    // A pathway's messages are its latency observations, not its counters.
    const points = stepPoints(
      steps.map((s) => ({ ...s, messages: s.latencyCount })),
      ids,
      range,
      stepUs,
    );
    return { ...base, points };
  }
  // A route seen only in traces: exact percentiles per step from the raw routes.
  const rows = (await store.traceRoutes(range, 50_000)).filter(
    (r) => routeId(r.route, r.consumer) === pathwayId,
  );
  const first = Math.floor(range.fromUs / 60e6) * 60e6;
  const points: EdgeSeriesPoint[] = [];
  for (let t = first; t < range.toUs; t += stepUs) {
    const inStep = rows
      .filter((r) => r.endUs >= t && r.endUs < t + stepUs)
      .map((r) => r.e2eUs)
      .sort((a, b) => a - b);
    const at = (q: number) =>
      inStep.length ? Math.round(inStep[Math.ceil(q * inStep.length) - 1]!) / 1000 : null;
    points.push({
      t: iso(t),
      messages: inStep.length,
      errors: 0,
      ratePerSecond: Math.round((inStep.length / (stepUs / 1e6)) * 1000) / 1000,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      p99Ms: at(0.99),
    });
  }
  return { ...base, points };
}
