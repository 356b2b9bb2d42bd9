import type { Metadata } from 'next';
import { EdgeTable } from '@/components/flows/edge-table';
import { EmptyFlows } from '@/components/flows/empty-flows';
import { FlowLanes } from '@/components/flows/flow-lanes';
import { LiveRefresh } from '@/components/live-refresh';
import { TimeRangePicker } from '@/components/time-range-picker';
import { getFlowGraph } from '@/lib/analytics/flows';
import { TimeRangeError, parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/store';

export const metadata: Metadata = { title: 'Flows' };
export const dynamic = 'force-dynamic';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function firstValues(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[key] = first;
  }
  return out;
}

function BadTimeRange({ message }: { message: string }) {
  return (
    <section className="panel empty" role="alert">
      <h1>Flows</h1>
      <p>{message}</p>
      <p>
        <a href="/flows">Show the last 15 minutes</a>
      </p>
    </section>
  );
}

export default async function FlowsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = firstValues(await searchParams);
  let range;
  try {
    range = parseTimeRange(params.from, params.to);
  } catch (error) {
    if (!(error instanceof TimeRangeError)) throw error;
    return <BadTimeRange message={error.message} />;
  }
  const graph = await getFlowGraph(await getStore(), range);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Flows</h1>
          <p className="muted">
            Who publishes where, who consumes it, and how long messages take on the way.
          </p>
        </div>
        <div className="toolbar">
          <TimeRangePicker pathname="/flows" params={params} current={range.from} />
          <LiveRefresh />
        </div>
      </div>
      {graph.edges.length === 0 ? (
        <EmptyFlows range={range.from} />
      ) : (
        <>
          <section className="panel" aria-labelledby="lanes-title">
            <h2 id="lanes-title">Pipelines</h2>
            <FlowLanes graph={graph} />
          </section>
          <section className="panel" aria-labelledby="edges-title">
            <h2 id="edges-title">Edges</h2>
            <EdgeTable graph={graph} />
          </section>
        </>
      )}
    </>
  );
}
