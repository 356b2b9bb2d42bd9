import Link from 'next/link';
import type { ConsumerRetries, DeadLetterCount } from '@/lib/analytics/anomalies';
import { formatCount } from '@/lib/format';
import { ConsumerCells, ConsumerHeaders } from './consumer-cells';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

/** Per consumer: attempts, retries, failures and broker redeliveries; then what was dead-lettered. */
export function RetriesTable({
  retries,
  deadLetters,
}: {
  retries: ConsumerRetries[];
  deadLetters: DeadLetterCount[];
}) {
  // Consumers with nothing to report would bury the ones that have.
  const troubled = retries.filter((r) => r.retries + r.redeliveries + r.failedAttempts > 0);
  return (
    <>
      {troubled.length === 0 ? (
        <p className="muted">No consumer retried, failed or had messages redelivered in this range.</p>
      ) : (
        <DataTable
          caption={
            <>
              Attempts are process spans; retries are attempts beyond the first for the same message;
              redeliveries are what the broker marked as redelivered.
            </>
          }
          columns={[
            <ConsumerHeaders />,
            <NumHeader>Attempts</NumHeader>,
            <NumHeader>Messages</NumHeader>,
            <NumHeader>Retries</NumHeader>,
            <NumHeader>Failed</NumHeader>,
            <NumHeader>Redeliveries</NumHeader>,
          ]}
        >
          {troubled.map((r) => (
            <tr key={`${r.service}/${r.consumerGroup}/${r.system}/${r.destination}`}>
              <ConsumerCells consumer={r} />
              <td className="num">{formatCount(r.attempts)}</td>
              <td className="num">{formatCount(r.messages)}</td>
              <td className="num">{formatCount(r.retries)}</td>
              <td className="num">{formatCount(r.failedAttempts)}</td>
              <td className="num">
                {formatCount(r.redeliveries)} <span className="muted">{r.redeliveriesSource}</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {deadLetters.length > 0 ? (
        <>
          <h3>Dead-lettered</h3>
          <ul className="ranked">
            {deadLetters.map((d) => (
              <li key={`${d.service}/${d.system}/${d.destination}/${d.errorType}`}>
                <Link href="/dlq">
                  {d.service} → {d.destination}
                </Link>
                {d.errorType ? <span className="muted"> {d.errorType}</span> : null}
                <span className="ranked-figure">{formatCount(d.count)} messages</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
