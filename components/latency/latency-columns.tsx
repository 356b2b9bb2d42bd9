import { PercentileCells, PercentileHeaders } from '@/components/percentile-columns';
import type { LatencyFigures } from '@/lib/analytics/latency';
import { formatCount } from '@/lib/format';
import { Delta } from './delta';
import { SourceBadge } from './source-badge';
import { NumHeader } from '@/components/num-header';

/**
 * The columns the pathway and edge latency tables end with: messages, p50/p95/p99, the p99
 * change against the comparison window (when comparing) and where the figures come from.
 */
export function LatencyHeaders({ comparing }: { comparing: boolean }) {
  return (
    <>
      <NumHeader>Messages</NumHeader>
      <PercentileHeaders />
      {comparing ? <NumHeader>p99 vs before</NumHeader> : null}
      <th scope="col">Source</th>
    </>
  );
}

/** The matching row cells. */
export function LatencyCells({
  figures,
  comparing,
}: {
  figures: LatencyFigures & { previous: LatencyFigures | null };
  comparing: boolean;
}) {
  return (
    <>
      <td className="num">{formatCount(figures.messages)}</td>
      <PercentileCells {...figures} />
      {comparing ? (
        <td className="num">
          <Delta now={figures.p99Ms} before={figures.previous?.p99Ms} />
        </td>
      ) : null}
      <td>
        <SourceBadge source={figures.source} />
      </td>
    </>
  );
}
