import type { DuplicateAnomaly } from '@/lib/analytics/anomalies';
import { formatCount } from '@/lib/format';
import { ConsumerCells, ConsumerHeaders, JourneyLink } from './consumer-cells';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

/** Messages one consumer group processed successfully more than once. */
export function DuplicatesTable({ duplicates }: { duplicates: DuplicateAnomaly[] }) {
  if (duplicates.length === 0) {
    return <p className="muted">No message was processed successfully twice by the same consumer group.</p>;
  }
  return (
    <DataTable
      caption={
        <>
          Same message id (or Kafka partition@offset) processed successfully more than once by one group: the
          handler must be idempotent, or something redelivered after a success.
        </>
      }
      columns={[<ConsumerHeaders />, 'Message', <NumHeader>Processed</NumHeader>, 'Journeys']}
    >
      {duplicates.map((d) => (
        <tr key={`${d.service}/${d.consumerGroup}/${d.destination}/${d.message}`}>
          <ConsumerCells consumer={d} />
          <td>{d.message}</td>
          <td className="num">{formatCount(d.processed)}×</td>
          <td>
            {d.traceIds.slice(0, 3).map((traceId, i) => (
              <span key={traceId}>
                {i > 0 ? ', ' : null}
                <JourneyLink traceId={traceId} />
              </span>
            ))}
            {d.traceIds.length > 3 ? <span className="muted"> +{d.traceIds.length - 3}</span> : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
