import Link from 'next/link';

interface Consumer {
  service: string;
  consumerGroup: string | null;
  system: string;
  destination: string;
}

/** The consumer (service and group) and what it consumes, as two cells every anomaly table starts with. */
export function ConsumerCells({ consumer }: { consumer: Consumer }) {
  return (
    <>
      <td>
        {consumer.service}
        {consumer.consumerGroup && consumer.consumerGroup !== consumer.service ? (
          <span className="muted"> ({consumer.consumerGroup})</span>
        ) : null}
      </td>
      <td>
        {consumer.destination} <span className="muted">{consumer.system}</span>
      </td>
    </>
  );
}

export function ConsumerHeaders() {
  return (
    <>
      <th scope="col">Consumer</th>
      <th scope="col">From</th>
    </>
  );
}

/** A link to one trace's journey (the message hop by hop). */
export function JourneyLink({ traceId, label }: { traceId: string; label?: string }) {
  return <Link href={`/messages/${traceId}?by=trace`}>{label ?? `${traceId.slice(0, 12)}…`}</Link>;
}
