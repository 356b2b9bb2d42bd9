import type { OutOfOrderAnomaly } from '@/lib/analytics/anomalies';
import { formatCount } from '@/lib/format';
import { ConsumerCells, ConsumerHeaders, JourneyLink } from './consumer-cells';
import { NumHeader } from '@/components/num-header';

/** Messages processed out of the order their partition or key promised. */
export function OutOfOrderTable({ outOfOrder }: { outOfOrder: OutOfOrderAnomaly[] }) {
  if (outOfOrder.length === 0) {
    return <p className="muted">Every partition and key was processed in order.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>
          Partition: a lower offset processed after a higher one. Key: a message sent earlier processed after
          a later one with the same key. Redeliveries are not counted here.
        </caption>
        <thead>
          <tr>
            <ConsumerHeaders />
            <th scope="col">Order of</th>
            <NumHeader>Late messages</NumHeader>
            <th scope="col">Example</th>
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}
