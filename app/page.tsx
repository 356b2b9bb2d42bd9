import { openRangePage } from '@/components/range-page';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { PanelSkeleton } from '@/components/panel-skeleton';
import { EmptyFlows } from '@/components/flows/empty-flows';
import { DeadLetterCounts } from '@/components/overview/dead-letter-counts';
import { EdgeList } from '@/components/overview/edge-list';
import { LagHotSpots } from '@/components/overview/lag-hot-spots';
import { getFlowGraph } from '@/lib/analytics/flows';
import { busiestEdges, failingEdges, slowestDeliveries } from '@/lib/analytics/overview';
import { formatCount, formatMs, formatPercent, formatRate } from '@/lib/format';
import { flowSources } from '@/lib/runtime';
import { latestLag } from '@/lib/ui/lag-snapshot';
import type { SearchParams } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const page = await openRangePage('Overview', '/', searchParams);
  if ('refusal' in page) return page.refusal;
  const { params, range } = page;
  const [graph, lag] = await Promise.all([getFlowGraph(await flowSources(), range), latestLag()]);
  const totals = graph.edges
    .filter((e) => e.latencyKind === 'delivery')
    .reduce((sum, e) => ({ messages: sum.messages + e.messages, errors: sum.errors + e.errors }), {
      messages: 0,
      errors: 0,
    });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">What is busy, what is slow and what is failing, in the last {range.from}.</p>
        </div>
        <Link className="button" href={`/flows?${new URLSearchParams(params).toString()}`}>
          Open the flow graph
        </Link>
      </div>
      {graph.edges.length === 0 ? (
        <EmptyFlows range={range.from} />
      ) : (
        <>
          <dl className="figures overview-figures" aria-label="Totals">
            <div>
              <dt>Services</dt>
              <dd>{graph.nodes.filter((n) => n.kind === 'service').length}</dd>
            </div>
            <div>
              <dt>Destinations</dt>
              <dd>{graph.nodes.filter((n) => n.kind === 'destination').length}</dd>
            </div>
            <div>
              <dt>Messages processed</dt>
              <dd>{formatCount(totals.messages)}</dd>
            </div>
            <div>
              <dt>Processing errors</dt>
              <dd>
                {formatCount(totals.errors)}{' '}
                <span className="muted">({formatPercent(totals.errors, totals.messages)})</span>
              </dd>
            </div>
          </dl>
          <div className="grid-3">
            <section className="panel" aria-labelledby="busiest-title">
              <h2 id="busiest-title">Busiest edges</h2>
              <EdgeList
                graph={graph}
                edges={busiestEdges(graph)}
                figure={(e) => formatRate(e.ratePerSecond)}
                params={params}
                empty="No traffic."
              />
            </section>
            <section className="panel" aria-labelledby="slowest-title">
              <h2 id="slowest-title">Slowest deliveries (p99)</h2>
              <EdgeList
                graph={graph}
                edges={slowestDeliveries(graph)}
                figure={(e) => formatMs(e.p99Ms)}
                params={params}
                empty="No delivery could be joined to its send yet."
              />
            </section>
            <section className="panel" aria-labelledby="lag-title">
              <h2 id="lag-title">Lag hot spots</h2>
              <LagHotSpots snapshot={lag} />
            </section>
            <section className="panel" aria-labelledby="dlq-title">
              <h2 id="dlq-title">Dead letters</h2>
              <Suspense fallback={<PanelSkeleton height={80} label="Loading dead-letter queues" />}>
                <DeadLetterCounts />
              </Suspense>
            </section>
            <section className="panel" aria-labelledby="failing-title">
              <h2 id="failing-title">Failing edges</h2>
              <EdgeList
                graph={graph}
                edges={failingEdges(graph)}
                figure={(e) => `${formatPercent(e.errors, e.messages)} of ${formatCount(e.messages)}`}
                params={params}
                empty="No errors in this range."
              />
            </section>
          </div>
        </>
      )}
    </>
  );
}
