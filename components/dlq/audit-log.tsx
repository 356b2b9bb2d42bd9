import type { Actor, ChainedAuditEntry } from '@/lib/audit/audit-entry';
import type { ReplayJob } from '@/lib/dlq/replay-store';
import { DataTable } from '@/components/data-table';

/** The verified name, and what vouched for it: the IdP, an API token, the operator token. */
function Who({ actor }: { actor: Actor }) {
  const via = actor.tokenId ? `${actor.idp} ${actor.tokenId}` : actor.idp;
  return (
    <>
      {actor.name}
      {via && via !== 'signalbox' ? <span className="muted"> · {via}</span> : null}
    </>
  );
}

/** Who replayed, deleted or purged what, and when; and the latest replay jobs with their outcome. */
export function AuditLog({ entries, jobs }: { entries: ChainedAuditEntry[]; jobs: ReplayJob[] }) {
  return (
    <section className="panel" aria-labelledby="dlq-audit-title">
      <h2 id="dlq-audit-title">Replay jobs and audit log</h2>
      {jobs.length === 0 && entries.length === 0 ? (
        <p className="muted">Nothing replayed, deleted or purged yet.</p>
      ) : null}
      {jobs.length > 0 ? (
        <DataTable
          caption="Latest replay jobs"
          columns={['Job', 'Queue', 'By', 'Started', 'Status', 'Messages']}
        >
          {jobs.map((j) => (
            <tr key={j.id}>
              <td className="mono">
                <a href={`/api/replays/${j.id}`}>{j.id.slice(0, 8)}</a>
              </td>
              <td>{j.queueId}</td>
              <td>{j.actor}</td>
              <td className="mono">{new Date(j.createdAtMs).toISOString()}</td>
              <td>
                {j.status}
                {j.error ? `: ${j.error}` : ''}
              </td>
              <td className="num">{j.expected}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {entries.length > 0 ? (
        <DataTable caption="Audit log" columns={['#', 'When', 'Who', 'What', 'Queue', 'Details']}>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td className="num">{e.seq}</td>
              <td className="mono">{new Date(e.atMs).toISOString()}</td>
              <td>
                <Who actor={e.actor} />
              </td>
              <td>{e.action}</td>
              <td>{e.queueId || '—'}</td>
              <td className="mono dlq-wrap">{JSON.stringify(e.detail).slice(0, 300)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
