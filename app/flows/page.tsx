import type { Metadata } from 'next';
import { BadTimeRange } from '@/components/bad-time-range';
import { EdgeSummary } from '@/components/flows/edge-summary';
import { EdgeTable } from '@/components/flows/edge-table';
import { EmptyFlows } from '@/components/flows/empty-flows';
import { FlowGraphView } from '@/components/flows/flow-graph';
import { getFlowGraph } from '@/lib/analytics/flows';
import { getStore } from '@/lib/store';
import { pageRange } from '@/lib/ui/page-range';
import { type SearchParams, firstValues } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Flows' };
export const dynamic = 'force-dynamic';

export default async function FlowsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await firstValues(searchParams);
  const parsed = pageRange(params);
  if ('error' in parsed) return <BadTimeRange title="Flows" message={parsed.error} href="/flows" />;
  const { range } = parsed;
  const graph = await getFlowGraph(await getStore(), range);
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
            <FlowGraphView graph={graph} selectedEdgeId={selected?.id ?? null} />
          </section>
          {selected ? (
            <section className="panel" aria-labelledby="edge-title">
              <EdgeSummary graph={graph} edge={selected} closeHref={`/flows?${withoutEdge.toString()}`} />
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
