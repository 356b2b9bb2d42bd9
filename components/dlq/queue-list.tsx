import Link from 'next/link';
import type { QueueView } from '@/lib/dlq';
import { dlqHref } from './links';
import { DataTable } from '@/components/data-table';

/** The dead-letter queues found, with how each was recognised. */
export function QueueList({
  queues,
  brokers,
  selected,
}: {
  queues: QueueView[];
  brokers: { system: string; address: string; error: string | null }[];
  selected: string | null;
}) {
  const down = brokers.filter((b) => b.error);
  return (
    <section className="panel" aria-labelledby="dlq-queues">
      <h2 id="dlq-queues">Dead-letter queues</h2>
      {down.map((b) => (
        <p key={b.system} className="notice" role="status">
          {b.error}
        </p>
      ))}
      {queues.length === 0 ? (
        <p className="muted">
          {brokers.length === 0
            ? 'No broker is configured: set SIGNALBOX_KAFKA_BROKERS or SIGNALBOX_RABBITMQ_URL (see .env.example).'
            : 'No dead-letter queue found. Queues named *.dlq, *.DLT, *_error, *.dead-letter are found by name; list others in SIGNALBOX_DLQ_QUEUES (system:name,…). On RabbitMQ without the management API, list the work queues in SIGNALBOX_RABBITMQ_QUEUES so their <queue>.dlq is checked.'}
        </p>
      ) : (
        <DataTable columns={['Queue', 'Broker', 'Messages', 'Found by']}>
          {queues.map((q) => (
            <tr key={q.id} aria-current={q.id === selected ? 'true' : undefined}>
              <td>
                <Link href={dlqHref({}, { queue: q.id })}>{q.name}</Link>
              </td>
              <td>{q.system}</td>
              <td className="num">{q.messages?.toLocaleString('en-US') ?? '?'}</td>
              <td className="muted">{q.source}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
