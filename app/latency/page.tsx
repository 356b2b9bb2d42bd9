import { openRangePage } from '@/components/range-page';
import { BadTimeRange } from '@/components/bad-time-range';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ComparePicker } from '@/components/latency/compare-picker';
import { EdgeLatencyTable } from '@/components/latency/edge-latency-table';
import { PathwayDetail } from '@/components/latency/pathway-detail';
import { PathwayTable, routeLabel } from '@/components/latency/pathway-table';
import { PanelSkeleton } from '@/components/panel-skeleton';
import { getLatencyReport } from '@/lib/analytics/latency';
import { TimeRangeError, parseCompareTo } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';
import type { SearchParams } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Latency' };
export const dynamic = 'force-dynamic';

export default async function LatencyPage({ searchParams }: { searchParams: SearchParams }) {
  const page = await openRangePage('Latency', '/latency', searchParams);
  if ('refusal' in page) return page.refusal;
  const { params, range } = page;
  let compare;
  try {
    compare = parseCompareTo(params.compareTo, range);
  } catch (error) {
    if (!(error instanceof TimeRangeError)) throw error;
    return <BadTimeRange title="Latency" message={error.message} href="/latency" />;
  }
  const report = await getLatencyReport(await getStore(), range, compare);
  const selected = report.pathways.find((p) => p.id === params.pathway) ?? null;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Latency</h1>
          <p className="muted">
            End to end per pathway and per edge. Metrics give exact figures under trace sampling; spans fill
            in where there are no metrics.
          </p>
        </div>
        <ComparePicker params={params} />
      </div>
      {selected ? (
        <section className="panel" aria-labelledby="pathway-title">
          <Suspense fallback={<PanelSkeleton height={260} label="Loading the pathway" />}>
            <PathwayDetail range={range} pathwayId={selected.id} label={routeLabel(selected)} />
          </Suspense>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="pathways-title">
        <h2 id="pathways-title">Pathways</h2>
        <PathwayTable pathways={report.pathways} params={params} comparing={compare !== null} />
      </section>
      <section className="panel" aria-labelledby="edge-latency-title">
        <h2 id="edge-latency-title">Edges</h2>
        <EdgeLatencyTable edges={report.edges} params={params} comparing={compare !== null} />
      </section>
    </>
  );
}
