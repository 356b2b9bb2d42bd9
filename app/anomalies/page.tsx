import { openRangePage } from '@/components/range-page';
import type { Metadata } from 'next';
import { DuplicatesTable } from '@/components/anomalies/duplicates-table';
import { OutOfOrderTable } from '@/components/anomalies/out-of-order-table';
import { RetriesTable } from '@/components/anomalies/retries-table';
import { TimeoutsTable } from '@/components/anomalies/timeouts-table';
import { getAnomalies } from '@/lib/analytics/anomalies';
import { formatCount } from '@/lib/format';
import { getStore } from '@/lib/runtime';
import type { SearchParams } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Anomalies' };
export const dynamic = 'force-dynamic';

export default async function AnomaliesPage({ searchParams }: { searchParams: SearchParams }) {
  const page = await openRangePage('Anomalies', '/anomalies', searchParams);
  if ('refusal' in page) return page.refusal;
  const { range } = page;
  const report = await getAnomalies(await getStore(), range);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Anomalies</h1>
          <p className="muted">
            What went wrong in delivery: timeouts, duplicates, retries and redeliveries, and processing out of
            order. Each links to the message’s journey.{' '}
            {report.truncated
              ? `Read from the newest ${formatCount(report.scanned)} processings only: narrow the time range to see all.`
              : `From ${formatCount(report.scanned)} processings in this range.`}
          </p>
        </div>
      </div>
      <section className="panel" aria-labelledby="timeouts-title">
        <h2 id="timeouts-title">Timeouts</h2>
        <TimeoutsTable timeouts={report.timeouts} total={report.timeoutsTotal} />
      </section>
      <section className="panel" aria-labelledby="duplicates-title">
        <h2 id="duplicates-title">Duplicates</h2>
        <DuplicatesTable duplicates={report.duplicates} />
      </section>
      <section className="panel" aria-labelledby="retries-title">
        <h2 id="retries-title">Retries and redeliveries</h2>
        <RetriesTable retries={report.retries} deadLetters={report.deadLetters} />
      </section>
      <section className="panel" aria-labelledby="order-title">
        <h2 id="order-title">Out of order</h2>
        <OutOfOrderTable outOfOrder={report.outOfOrder} />
      </section>
    </>
  );
}
