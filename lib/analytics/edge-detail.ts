import type { SeriesStep } from '@/lib/store/types';
import { type Bucket, mergeBuckets, percentilesMs } from '@/lib/model/histogram';
import { NotFoundError } from '@/lib/http/errors';
import { type FlowEdge, type FlowSources, analyseFlowsFromStore } from './flows';
import type { Source } from './series-pick';
import type { TimeRange } from './time-range';

export interface EdgeSeriesPoint {
  /** Start of the step, ISO-8601. */
  t: string;
  messages: number;
  errors: number;
  ratePerSecond: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface HistogramBar {
  lowerMs: number;
  upperMs: number | null;
  count: number;
}

export interface SlowMessage {
  traceId: string;
  spanId: string;
  messageId: string | null;
  latencyMs: number;
  /** When processing (delivery) or the send (publish) started, ISO-8601. */
  at: string;
  /** The journey page of this message. */
  journey: string;
}

/** GET /api/flows/series: one edge over time, its latency histogram and its slowest messages. */
export interface EdgeDetail {
  edge: FlowEdge;
  from: string;
  to: string;
  stepSeconds: number;
  points: EdgeSeriesPoint[];
  histogram: { source: Source | null; bars: HistogramBar[] };
  /** From sampled spans (only spans know individual messages). */
  slowest: SlowMessage[];
}

export class EdgeNotFoundError extends NotFoundError {
  override name = 'EdgeNotFoundError';
}

const iso = (us: number) => new Date(us / 1000).toISOString();
const journeyHref = (traceId: string) => `/messages/${traceId}`;

/** Points for every step of the window (empty steps count zero), from the timeline rows. */
export function stepPoints(
  steps: readonly SeriesStep[],
  ids: { messages: number[]; errors: number[]; latency: number[] },
  window: { fromUs: number; toUs: number },
  stepUs: number,
): EdgeSeriesPoint[] {
  const byStep = new Map<number, SeriesStep[]>();
  const first = Math.floor(window.fromUs / 60e6) * 60e6;
  for (let t = first; t < window.toUs; t += stepUs) byStep.set(t, []);
  for (const s of steps) {
    const list = byStep.get(s.stepStartUs);
    if (list) list.push(s);
    else byStep.set(s.stepStartUs, [s]);
  }
  const messagesIds = new Set(ids.messages);
  const errorIds = new Set(ids.errors);
  const latencyIds = new Set(ids.latency);
  return [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([start, list]): EdgeSeriesPoint => {
      const messages = list.filter((s) => messagesIds.has(s.seriesId)).reduce((n, s) => n + s.messages, 0);
      const latency = list.filter((s) => latencyIds.has(s.seriesId));
      const min = Math.min(...latency.map((s) => s.latencyMin ?? Infinity));
      const max = Math.max(...latency.map((s) => s.latencyMax ?? -Infinity));
      return {
        t: iso(start),
        messages,
        errors: list.filter((s) => errorIds.has(s.seriesId)).reduce((n, s) => n + s.errors, 0),
        ratePerSecond: Math.round((messages / (stepUs / 1e6)) * 1000) / 1000,
        ...percentilesMs(
          latency.flatMap((s) => s.buckets),
          { min: Number.isFinite(min) ? min : null, max: Number.isFinite(max) ? max : null },
        ),
      };
    });
}

export function histogramBars(buckets: Bucket[]): HistogramBar[] {
  return mergeBuckets(buckets).map((b) => ({
    lowerMs: Math.max(0, b.lower) * 1000,
    upperMs: Number.isFinite(b.upper) ? b.upper * 1000 : null,
    count: b.count,
  }));
}

export async function getEdgeDetail(
  sources: FlowSources,
  range: TimeRange,
  edgeId: string,
  stepUs: number,
  slowestLimit = 10,
): Promise<EdgeDetail> {
  const { store } = sources;
  const { graph, figures } = await analyseFlowsFromStore(sources, range);
  const edge = graph.edges.find((e) => e.id === edgeId);
  const f = figures.get(edgeId);
  if (!edge || !f) {
    throw new EdgeNotFoundError(
      `no edge ${JSON.stringify(edgeId)} between ${range.from} and ${range.to}; take ids from GET /api/flows for the same range`,
    );
  }
  const allIds = [...new Set([...f.seriesIds.messages, ...f.seriesIds.errors, ...f.seriesIds.latency])];
  const steps = await store.seriesTimeline(range, stepUs, allIds);
  let slowest: SlowMessage[];
  if (edge.latencyKind === 'delivery') {
    slowest = (await store.slowestDeliveries(range, f.spanSeriesIds, slowestLimit)).map((d) => ({
      traceId: d.traceId,
      spanId: d.spanId,
      messageId: d.messageId,
      latencyMs: d.latencyUs / 1000,
      at: iso(d.startUs),
      journey: journeyHref(d.traceId),
    }));
  } else {
    const source = graph.nodes.find((n) => n.id === edge.source)!;
    const target = graph.nodes.find((n) => n.id === edge.target)!;
    slowest = (
      await store.slowestSends(
        range,
        { service: source.name, system: edge.system, destination: target.name },
        slowestLimit,
      )
    ).map((s) => ({
      traceId: s.traceId,
      spanId: s.spanId,
      messageId: s.messageId,
      latencyMs: s.durationUs / 1000,
      at: iso(s.startUs),
      journey: journeyHref(s.traceId),
    }));
  }
  return {
    edge,
    from: range.from,
    to: range.to,
    stepSeconds: stepUs / 1e6,
    points: stepPoints(steps, f.seriesIds, range, stepUs),
    histogram: { source: edge.sources.latency, bars: histogramBars(f.latency?.buckets ?? []) },
    slowest,
  };
}
