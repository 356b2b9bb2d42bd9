import Link from 'next/link';
import { PercentileCells, PercentileHeaders } from '@/components/percentile-columns';
import type { PathwayLatency } from '@/lib/analytics/latency';
import { formatCount } from '@/lib/format';
import { Delta } from './delta';
import { SourceBadge } from './source-badge';

/** "checkout → orders → billing → payments → notifier" */
export function routeLabel(p: PathwayLatency): string {
  const steps = p.route.flatMap((hop) => [hop.service, hop.destination]);
  if (steps.length === 0) steps.push(p.consumer.destination);
  return [...steps, p.consumer.service].join(' → ');
}

export function PathwayTable({
  pathways,
  params,
  comparing,
}: {
  pathways: PathwayLatency[];
  params: Record<string, string>;
  comparing: boolean;
}) {
  if (pathways.length === 0) {
    return (
      <p className="muted">
        No pathways yet. End-to-end latency needs producers and consumers instrumented with
        @signalbox/instrumentation (the signalbox-pathway header) or traces that link every hop.
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>
          Origin → final consumer, any number of hops. Each figure says whether it came from metrics or spans.
        </caption>
        <thead>
          <tr>
            <th scope="col">Pathway</th>
            <th scope="col" className="num">
              Hops
            </th>
            <th scope="col" className="num">
              Messages
            </th>
            <PercentileHeaders />
            {comparing ? (
              <th scope="col" className="num">
                p99 vs before
              </th>
            ) : null}
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {pathways.map((p) => (
            <tr key={p.id} aria-selected={params.pathway === p.id || undefined}>
              <td>
                <Link
                  href={`/latency?${new URLSearchParams({ ...params, pathway: p.id }).toString()}`}
                  scroll={false}
                >
                  {routeLabel(p)}
                </Link>
                {p.complete ? null : (
                  <span
                    className="muted"
                    title="Part of the route upstream is not instrumented or not reported yet"
                  >
                    {' '}
                    (partial route)
                  </span>
                )}
              </td>
              <td className="num">{p.hops}</td>
              <td className="num">{formatCount(p.messages)}</td>
              <PercentileCells {...p} />
              {comparing ? (
                <td className="num">
                  <Delta now={p.p99Ms} before={p.previous?.p99Ms} />
                </td>
              ) : null}
              <td>
                <SourceBadge source={p.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
