import { DataTable } from '@/components/data-table';
import { type AlertRule, describeCondition } from '@/lib/alerts/rule';

const scopeOf = ({ scope }: AlertRule) =>
  [scope.system, scope.destination, scope.group && `group ${scope.group}`].filter(Boolean).join(' · ') ||
  'everything';

/** The configured rules, as the rules file says them. */
export function RuleTable({ rules }: { rules: readonly AlertRule[] }) {
  return (
    <DataTable label="Alert rules" columns={['Rule', 'When', 'On', 'For', 'Resolves after', 'Severity']}>
      {rules.map((r) => (
        <tr key={r.id}>
          <td>
            {r.name}
            <div className="muted mono">{r.id}</div>
          </td>
          <td>{describeCondition(r)}</td>
          <td>{scopeOf(r)}</td>
          <td>{r.forSeconds} s</td>
          <td>{r.resolveAfterSeconds} s</td>
          <td>
            <span className={`badge alert-${r.severity}`}>{r.severity}</span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
