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
  /**
   * Span-derived series (for "slowest messages", which only spans can give); for delivery, those of
   * process spans, or of receive spans for a consumer whose process spans give no latency.
   */
  spanSeriesIds: number[];
  /**
   * Delivery edges whose figures come from receive spans (the consumer reports no process spans):
   * the latency then runs to the start of the receive, not of processing.
   */
  fromReceiveSpans: boolean;
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
 * else process spans, else receive spans (their batch sizes); latency from the
 * edge.latency histogram, else send → process joins of spans, else send → receive
 * joins. Errors come from the counter that carries `error.type` when one exists,
 * else from span status. Receive spans come last everywhere, so a consumer that
 * reports process spans keeps their numbers (a batch's receive and its messages'
 * process spans describe the same messages: adding them would count each twice),
 * and a consumer that only receives (plain Kafka client instrumentation) still
 * gets an edge.
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
            ['spans', s.get('receive', 'spans')],
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
          ['spans', s.get('receive', 'spans')],
        ];
  const errors = s.pick(errorCandidates, hasMessages);
  const latencyCandidates: [Source, SeriesTotals[]][] = [
    ['metrics', s.get(spanKind, 'metrics')],
    ['spans', s.get(spanKind, 'spans')],
  ];
  if (kind === 'delivery') latencyCandidates.push(['spans', s.get('receive', 'spans')]);
  const latency = s.pick(latencyCandidates, hasLatency);
  // Slowest messages list span latencies: from the same span series the latency figure reads when it
  // comes from spans (process, else receive; never both), and by the same order when it comes from metrics.
  const spanCandidates = latencyCandidates.filter(([source]) => source === 'spans');
  const spanSeries =
    kind === 'publish'
      ? s.get('publish', 'spans').map((x) => x.seriesId)
      : (s.pick(spanCandidates, hasLatency) ?? s.pick(spanCandidates, hasMessages))?.combined.seriesIds;
  // Receive series are picked only when nothing else had data, so one of them means all are.
  const receiveIds = new Set(s.get('receive', 'spans').map((x) => x.seriesId));
  const picked = latency ?? messages;
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
    spanSeriesIds: spanSeries ?? [],
    fromReceiveSpans: picked !== null && picked.combined.seriesIds.some((id) => receiveIds.has(id)),
  };
}
