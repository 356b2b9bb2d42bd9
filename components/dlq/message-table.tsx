import Link from 'next/link';
import type { DlqMessageView } from '@/lib/dlq/message-view';
import { ErrorCell, JourneyCell } from './failure-cells';
import { dlqHref } from './links';
import { DataTable } from '@/components/data-table';

/** The filtered messages; selecting one opens its detail below. */
export function MessageTable({
  messages,
  params,
}: {
  messages: DlqMessageView[];
  params: Record<string, string>;
}) {
  const shown = messages.slice(0, 200);
  return (
    <DataTable
      caption={
        messages.length > shown.length
          ? `First ${shown.length} of ${messages.length} messages`
          : `${messages.length} messages`
      }
      columns={['Message', 'Error', 'From', 'Attempts', 'Last failed', 'Replays', 'Trace']}
    >
      {shown.map((m) => (
        <tr key={m.id} aria-current={params.message === m.id ? 'true' : undefined}>
          <td className="mono">
            <Link href={dlqHref(params, { message: m.id })}>
              {m.id.length > 24 ? `${m.id.slice(0, 24)}…` : m.id}
            </Link>
          </td>
          <ErrorCell failure={m.failure} />
          <td>{m.failure.source.destination ?? '—'}</td>
          <td className="num">{m.failure.attempts ?? '—'}</td>
          <td className="mono">{m.failure.lastFailedAt ?? m.timestamp ?? '—'}</td>
          <td className="num">{m.failure.replay?.count ?? 0}</td>
          <JourneyCell failure={m.failure} />
        </tr>
      ))}
    </DataTable>
  );
}
