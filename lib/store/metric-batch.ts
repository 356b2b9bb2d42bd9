import { createHash } from 'node:crypto';
import { type CumulativePoint, type StreamState, toDelta } from '@/lib/model/cumulative-to-delta';
import { classifyMetric, pathwayEdgeOf, toSeriesSample } from '@/lib/model/messaging-metric';
import type { MetricPoint } from '@/lib/model/metric';
import type { Attributes } from '@/lib/model/telemetry';
import { type PathwayEdge, type SeriesDims, seriesKey } from '@/lib/model/series';
import type { Dictionary } from './dictionary';
import type { RollupAccumulator } from './rollup-accumulator';

/** Last cumulative point per metric stream; staged per transaction like the dictionaries. */
export class StreamStates {
  private staged = new Map<string, StreamState>();
  constructor(private readonly states: Map<string, StreamState>) {}

  get(key: string): StreamState | undefined {
    return this.staged.get(key) ?? this.states.get(key);
  }
  stage(key: string, state: StreamState): void {
    this.staged.set(key, state);
  }
  stagedEntries(): [string, StreamState][] {
    return [...this.staged];
  }
  commit(): void {
    for (const [k, v] of this.staged) this.states.set(k, v);
    this.staged = new Map();
  }
  rollback(): void {
    this.staged = new Map();
  }
  /** Forgets streams not updated since `cutoffUs` (retention); returns their keys. */
  expire(cutoffUs: number): string[] {
    const gone = [...this.states].filter(([, s]) => s.timeUs < cutoffUs).map(([k]) => k);
    for (const k of gone) this.states.delete(k);
    return gone;
  }
}

function canonical(attributes: Attributes): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((k) => [k, attributes[k]]),
  );
}

/** A stream is one metric with one resource and one attribute set (OTel data model). */
export function streamKey(point: MetricPoint): string {
  return createHash('sha1')
    .update(point.metric)
    .update('\u0000')
    .update(canonical(point.resource))
    .update('\u0000')
    .update(canonical(point.attributes))
    .digest('hex');
}

/** The state kept for a stream: the point's values without its (large) attribute maps. */
export function stateOf(point: CumulativePoint): StreamState {
  return {
    startUs: point.startTimeUs,
    timeUs: point.timeUs,
    point: { ...point, resource: {}, attributes: {} },
  };
}

export interface MetricPlanContext {
  series: Dictionary<SeriesDims>;
  rollups: RollupAccumulator;
  streams: StreamStates;
}

/**
 * Plans the write of metric points: keeps Signalbox's metrics, turns
 * cumulative streams into deltas, and feeds the rollups. Returns the route
 * segments the pathway metrics taught us and how many points were kept.
 */
export function planMetrics(
  points: readonly MetricPoint[],
  ctx: MetricPlanContext,
): { pathways: PathwayEdge[]; kept: number } {
  const pathways: PathwayEdge[] = [];
  let kept = 0;
  for (const point of points) {
    const dims = classifyMetric(point);
    if (dims === null) continue;
    kept++;
    const edge = pathwayEdgeOf(point, dims);
    if (edge) pathways.push(edge);
    let delta: MetricPoint | null = point;
    if (point.type !== 'summary' && point.temporality === 'cumulative') {
      const key = streamKey(point);
      const previous = ctx.streams.get(key);
      delta = toDelta(point, previous);
      const newer =
        !previous ||
        point.startTimeUs > previous.startUs ||
        (point.startTimeUs === previous.startUs && point.timeUs > previous.timeUs);
      if (newer) ctx.streams.stage(key, stateOf(point));
    }
    if (delta === null) continue;
    const sample = toSeriesSample(delta, dims);
    if (sample === null) continue;
    const id = ctx.series.idFor(seriesKey(dims), () => dims);
    if (id === null) continue;
    ctx.rollups.count(id, sample.timeUs, sample.messages, sample.errors);
    if (sample.latency) ctx.rollups.observeHistogram(id, sample.timeUs, sample.latency);
  }
  return { pathways, kept };
}
