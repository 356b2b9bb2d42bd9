import type { TimeoutAnomaly } from '@/lib/analytics/anomalies';
import { formatCount, formatMs } from '@/lib/format';
import { ConsumerCells, ConsumerHeaders, JourneyLink } from './consumer-cells';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

// Enough to see the pattern; the journeys of the rest are one search away.
const SHOWN = 10;

/** Processing that ended because a deadline passed, newest first. */
export function TimeoutsTable({ timeouts, total }: { timeouts: TimeoutAnomaly[]; total: number }) {
  if (timeouts.length === 0) {
    return <p className="muted">No processing ended by a deadline in this range.</p>;
  }
  return (
    <DataTable
      caption={
        <>
          Failed processing whose error type or status says a deadline passed (TimeoutError, ETIMEDOUT,
          DEADLINE_EXCEEDED, “timed out”).
          {total > SHOWN ? ` The newest ${SHOWN} of ${formatCount(total)}.` : null}
        </>
      }
      columns={['At', <ConsumerHeaders />, 'Message', <NumHeader>Ran for</NumHeader>, 'Reason']}
    >
      {timeouts.slice(0, SHOWN).map((t) => (
        <tr key={`${t.traceId}/${t.spanId}`}>
          <td>{new Date(t.startUs / 1000).toLocaleTimeString()}</td>
          <ConsumerCells consumer={t} />
          <td>
            <JourneyLink traceId={t.traceId} label={t.message ?? undefined} />
          </td>
          <td className="num">{formatMs(t.durationUs / 1000)}</td>
          <td className="muted">{t.reason}</td>
        </tr>
      ))}
    </DataTable>
  );
}
