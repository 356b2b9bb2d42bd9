import type { OutOfOrderAnomaly } from '@/lib/analytics/anomalies';
import { formatCount } from '@/lib/format';
import { ConsumerCells, ConsumerHeaders, JourneyLink } from './consumer-cells';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

/** Messages processed out of the order their partition or key promised. */
export function OutOfOrderTable({ outOfOrder }: { outOfOrder: OutOfOrderAnomaly[] }) {
  if (outOfOrder.length === 0) {
    return <p className="muted">Every partition and key was processed in order.</p>;
  }
  return (
    <DataTable
      caption={
        <>
          Partition: a lower offset processed after a higher one. Key: a message sent earlier processed after
          a later one with the same key. Redeliveries are not counted here.
        </>
      }
      columns={[<ConsumerHeaders />, 'Order of', <NumHeader>Late messages</NumHeader>, 'Example']}
    >
      {outOfOrder.map((o) => (
        <tr key={`${o.service}/${o.consumerGroup}/${o.destination}/${o.scope}/${o.key}`}>
          <ConsumerCells consumer={o} />
          <td>
            {o.scope} <code>{o.key}</code>
          </td>
          <td className="num">{formatCount(o.count)}</td>
          <td>
            <JourneyLink traceId={o.example.traceId} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
