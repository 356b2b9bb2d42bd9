import { DataTable } from '@/components/data-table';
import type { AlertSilence } from '@/lib/alerts/alert-store';
import type { AlertRule } from '@/lib/alerts/rule';
import { EndSilenceButton } from './alert-actions';
import { utc } from './format';

/** Silences running now: what they cover, who set them and why, until when. */
export function SilenceTable({
  silences,
  rules,
  canChange,
}: {
  silences: AlertSilence[];
  rules: readonly AlertRule[];
  canChange: boolean;
}) {
  const names = new Map(rules.map((r) => [r.id, r.name]));
  return (
    <DataTable
      label="Silences"
      columns={['Rule', 'Where', 'Why', 'By', 'Until (UTC)', ...(canChange ? ['End'] : [])]}
    >
      {silences.map((s) => (
        <tr key={s.id}>
          <td>{s.ruleId === null ? 'every rule' : (names.get(s.ruleId) ?? s.ruleId)}</td>
          <td className="mono">{s.subject ?? 'everywhere'}</td>
          <td>{s.reason}</td>
          <td>{s.createdBy}</td>
          <td className="mono">{utc(s.endsMs)}</td>
          {canChange ? (
            <td>
              <EndSilenceButton id={s.id} />
            </td>
          ) : null}
        </tr>
      ))}
    </DataTable>
  );
}
