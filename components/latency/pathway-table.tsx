import Link from 'next/link';
import type { PathwayLatency } from '@/lib/analytics/latency';
import { LatencyCells, LatencyHeaders } from './latency-columns';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

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
    <DataTable
      caption={
        <>
          Origin → final consumer, any number of hops. Each figure says whether it came from metrics or spans.
        </>
      }
      columns={['Pathway', <NumHeader>Hops</NumHeader>, <LatencyHeaders comparing={comparing} />]}
    >
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
          <LatencyCells figures={p} comparing={comparing} />
        </tr>
      ))}
    </DataTable>
  );
}
