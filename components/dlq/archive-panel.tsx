import type { ArchiveCounts, ArchivedMessage } from '@/lib/dlq/archive-store';
import type { ArchivePass } from '@/lib/dlq/archiver';
import { ErrorCell, JourneyCell } from './failure-cells';
import { PayloadView } from './payload-view';
import { DataTable } from '@/components/data-table';

const time = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

/**
 * Archive mode for one DLQ: how many of its dead letters the store holds, and the ones no longer in
 * the broker (replayed, deleted, expired) — the evidence that outlives the broker's retention.
 */
export function ArchivePanel({
  enabled,
  intervalSeconds,
  counts,
  lastPass,
  gone,
}: {
  enabled: boolean;
  intervalSeconds: number;
  counts: ArchiveCounts;
  lastPass: ArchivePass | null;
  gone: ArchivedMessage[];
}) {
  return (
    <section className="panel" aria-labelledby="dlq-archive-title">
      <h2 id="dlq-archive-title">Archive</h2>
      {!enabled ? (
        <p className="muted">
          Archive mode is off. Set <code>SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS</code> (e.g. 60) to copy every
          dead letter into the store, so it can still be read after the broker dropped, purged or replayed it.
        </p>
      ) : (
        <p className="muted" role="status">
          Copied every {intervalSeconds} s: {counts.archived.toLocaleString('en-US')} messages archived,{' '}
          {counts.gone.toLocaleString('en-US')} no longer in the queue.
          {lastPass
            ? lastPass.error
              ? ` The last pass (${time(lastPass.atMs)} UTC) failed: ${lastPass.error}`
              : ` Last pass ${time(lastPass.atMs)} UTC: ${lastPass.added} new, ${lastPass.gone} gone.`
            : ' No pass has run since the dashboard started.'}
        </p>
      )}
      {gone.length > 0 ? (
        <DataTable
          caption={
            counts.gone > gone.length
              ? `The newest ${gone.length} of ${counts.gone.toLocaleString('en-US')} archived messages no longer in the queue`
              : 'Archived messages no longer in the queue (newest first)'
          }
          columns={['Message', 'Error', 'From', 'First seen (UTC)', 'Gone since (UTC)', 'Trace']}
        >
          {gone.map(({ message: m, firstSeenMs, goneAtMs }) => (
            <tr key={m.id}>
              <td className="mono">
                <details className="dlq-archive-payload">
                  <summary>{m.id.length > 24 ? `${m.id.slice(0, 24)}…` : m.id}</summary>
                  <PayloadView body={m.body} />
                </details>
              </td>
              <ErrorCell failure={m.failure} />
              <td>{m.failure.source.destination ?? '—'}</td>
              <td className="mono">{time(firstSeenMs)}</td>
              <td className="mono">{goneAtMs === null ? '—' : time(goneAtMs)}</td>
              <JourneyCell failure={m.failure} />
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
