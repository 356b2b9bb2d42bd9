import type { SeriesTotals } from '@/lib/store/types';
import { type Combined, EdgeSeries, type Source } from './series-pick';

/** The figures of one flow edge, each with the source it came from and the series behind it. */
export interface EdgeFigures {
  messages: number;
  errors: number;
  latency: Combined | null;
  sources: { messages: Source; errors: Source; latency: Source | null };
  /** Series ids behind each figure, for timelines of the same edge. */
  seriesIds: { messages: number[]; errors: number[]; latency: number[] };
  /** Span-derived delivery series (for "slowest messages", which only spans can give). */
  spanSeriesIds: number[];
}

export type EdgeKind = 'publish' | 'delivery';

const hasMessages = (c: Combined) => c.messages > 0;
const hasLatency = (c: Combined) => c.latencyCount > 0;

/**
 * Picks each figure of an edge from the best source that has data:
 *
 * publish (service → destination): messages from the semconv
 * `messaging.client.sent.messages` counter, else `signalbox.messaging.pathway.sent`
 * (summed over pathways), else send spans; latency from
 * `messaging.client.operation.duration` (send), else send span durations.
 *
 * delivery (destination → service): messages from `signalbox.messaging.edge.latency`
 * (one observation per message), else `messaging.client.consumed.messages`,
 * else process spans; latency from the edge.latency histogram, else send → process
 * joins of spans. Errors come from the counter that carries `error.type` when
 * one exists, else from span status.
 */
export function edgeFigures(kind: EdgeKind, series: readonly SeriesTotals[]): EdgeFigures {
  const s = new EdgeSeries();
  for (const one of series) s.add(one);
  const spanKind = kind;
  const messages =
    kind === 'publish'
      ? s.pick(
          [
            ['metrics', s.get('sent', 'metrics', (x) => x.dims.pathwayHash === null)],
            ['metrics', s.get('sent', 'metrics', (x) => x.dims.pathwayHash !== null)],
            ['spans', s.get('publish', 'spans')],
          ],
          hasMessages,
        )
      : s.pick(
          [
            ['metrics', s.get('delivery', 'metrics')],
            ['metrics', s.get('consumed', 'metrics')],
            ['spans', s.get('delivery', 'spans')],
          ],
          hasMessages,
        );
  const errorCandidates: [Source, SeriesTotals[]][] =
    kind === 'publish'
      ? [
          ['metrics', s.get('sent', 'metrics', (x) => x.dims.pathwayHash === null)],
          ['spans', s.get('publish', 'spans')],
        ]
      : [
          ['metrics', s.get('consumed', 'metrics')],
          ['metrics', s.get('process', 'metrics')],
          ['spans', s.get('delivery', 'spans')],
        ];
  const errors = s.pick(errorCandidates, hasMessages);
  const latency = s.pick(
    [
      ['metrics', s.get(spanKind, 'metrics')],
      ['spans', s.get(spanKind, 'spans')],
    ],
    hasLatency,
  );
  return {
    messages: messages?.combined.messages ?? 0,
    errors: errors?.combined.errors ?? 0,
    latency: latency?.combined ?? null,
    sources: {
      messages: messages?.source ?? 'spans',
      errors: errors?.source ?? 'spans',
      latency: latency?.source ?? null,
    },
    seriesIds: {
      messages: messages?.combined.seriesIds ?? [],
      errors: errors?.combined.seriesIds ?? [],
      latency: latency?.combined.seriesIds ?? [],
    },
    spanSeriesIds: s.get(spanKind, 'spans').map((x) => x.seriesId),
  };
}
