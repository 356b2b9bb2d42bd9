import Link from 'next/link';
import type { FailureGroup } from '@/lib/dlq/grouping';
import { dlqHref } from './links';
import { DataTable } from '@/components/data-table';

/** Failures grouped by cause (fingerprint), largest first, Sentry-style counts and first/last seen. */
export function GroupTable({ groups, params }: { groups: FailureGroup[]; params: Record<string, string> }) {
  return (
    <DataTable
      caption="Failures grouped by cause"
      columns={['Messages', 'Error', 'Message', 'Failed on', 'First seen', 'Last seen']}
    >
      {groups.map((g) => (
        <tr key={g.fingerprint} aria-current={params.fingerprint === g.fingerprint ? 'true' : undefined}>
          <td className="num">
            <Link
              href={dlqHref(params, { fingerprint: g.fingerprint, message: null })}
              aria-label={`Show the ${g.count} messages of ${g.errorType ?? g.reason ?? 'this group'}`}
            >
              {g.count.toLocaleString('en-US')}
            </Link>
          </td>
          <td className="mono">{g.errorType ?? g.reason ?? 'unknown'}</td>
          <td className="dlq-wrap">{g.errorMessage ?? '—'}</td>
          <td>{g.destinations.join(', ') || '—'}</td>
          <td className="mono">{g.firstSeen ?? '—'}</td>
          <td className="mono">{g.lastSeen ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
