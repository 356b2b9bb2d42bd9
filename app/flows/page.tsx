import { openRangePage } from '@/components/range-page';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { EdgeDetailPanel } from '@/components/flows/edge-detail-panel';
import { EdgeTable } from '@/components/flows/edge-table';
import { EmptyFlows } from '@/components/flows/empty-flows';
import { FlowGraphView } from '@/components/flows/flow-graph';
import { RoutingNotes } from '@/components/flows/routing-notes';
import { PanelSkeleton } from '@/components/panel-skeleton';
import { getFlowGraph } from '@/lib/analytics/flows';
import { lagByFlowEdge } from '@/lib/lag/flows';
import { flowSources } from '@/lib/runtime';
import { latestLag } from '@/lib/ui/lag-snapshot';
import type { SearchParams } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Flows' };
export const dynamic = 'force-dynamic';

export default async function FlowsPage({ searchParams }: { searchParams: SearchParams }) {
  const page = await openRangePage('Flows', '/flows', searchParams);
  if ('refusal' in page) return page.refusal;
  const { params, range } = page;
  const [graph, lagSnapshot] = await Promise.all([getFlowGraph(await flowSources(), range), latestLag()]);
  const lag = lagSnapshot ? Object.fromEntries(lagByFlowEdge(graph, lagSnapshot)) : {};
  const selected = graph.edges.find((edge) => edge.id === params.edge) ?? null;
  const withoutEdge = new URLSearchParams(params);
  withoutEdge.delete('edge');

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Flows</h1>
          <p className="muted">
            Who publishes where, who consumes it, and how long messages take on the way. Click an edge for its
            detail.
          </p>
        </div>
      </div>
      {graph.edges.length === 0 ? (
        <EmptyFlows range={range.from} />
      ) : (
        <>
          <section className="panel" aria-label="Flow graph">
            <FlowGraphView graph={graph} selectedEdgeId={selected?.id ?? null} lag={lag} />
            <RoutingNotes graph={graph} />
          </section>
          {selected ? (
            <section className="panel" aria-labelledby="edge-title">
              <Suspense
                key={selected.id}
                fallback={<PanelSkeleton height={240} label="Loading the edge detail" />}
              >
                <EdgeDetailPanel
                  graph={graph}
                  lag={lag[selected.id] ?? null}
                  range={range}
                  edgeId={selected.id}
                  closeHref={`/flows?${withoutEdge.toString()}`}
                />
              </Suspense>
            </section>
          ) : null}
          <section className="panel" aria-labelledby="edges-title">
            <h2 id="edges-title">Edges</h2>
            <EdgeTable graph={graph} params={params} />
          </section>
        </>
      )}
    </>
  );
}
