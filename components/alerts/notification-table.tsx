import { DataTable } from '@/components/data-table';
import type { AlertNotification } from '@/lib/alerts/alert-store';
import type { AlertRule } from '@/lib/alerts/rule';
import { utc } from './format';

function outcome(n: AlertNotification): string {
  if (n.deliveredMs !== null)
    return `delivered ${utc(n.deliveredMs)}${n.attempts > 1 ? ` (attempt ${n.attempts})` : ''}`;
  if (n.nextAttemptMs === null) return n.lastStatus ?? 'given up';
  return n.attempts === 0 ? 'sending' : `${n.lastStatus}; retry at ${utc(n.nextAttemptMs)}`;
}

/** What was sent where and whether it arrived, newest first. */
export function NotificationTable({
  notifications,
  rules,
}: {
  notifications: AlertNotification[];
  rules: readonly AlertRule[];
}) {
  const names = new Map(rules.map((r) => [r.id, r.name]));
  return (
    <DataTable
      label="Notifications"
      columns={['When (UTC)', 'Event', 'Rule', 'Where', 'Channel', 'Delivery']}
    >
      {notifications.map((n) => (
        <tr key={n.id}>
          <td className="mono">{utc(n.createdMs)}</td>
          <td>{n.event}</td>
          <td>{names.get(n.ruleId) ?? n.ruleId}</td>
          <td className="mono">{n.subject}</td>
          <td>{n.channel}</td>
          <td className={n.deliveredMs === null && n.nextAttemptMs === null ? 'error-text' : undefined}>
            {outcome(n)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
