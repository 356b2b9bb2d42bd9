import { DataTable } from '@/components/data-table';
import { type AlertRule, describeCondition } from '@/lib/alerts/rule';
import { RemoveRuleButton } from './rule-form';

const scopeOf = ({ scope }: AlertRule) =>
  [scope.system, scope.destination, scope.group && `group ${scope.group}`].filter(Boolean).join(' · ') ||
  'everything';

/** The rules in force: the file's, and those added on this page (with who added them). */
export function RuleTable({
  rules,
  addedBy,
  canChange,
}: {
  rules: readonly AlertRule[];
  /** Rule id → who added it on the page; absent: from the rules file. */
  addedBy: ReadonlyMap<string, string>;
  canChange: boolean;
}) {
  return (
    <DataTable label="Alert rules" columns={['Rule', 'When', 'On', 'Timing', 'From']}>
      {rules.map((r) => (
        <tr key={r.id}>
          <td>
            {r.name} <span className={`badge alert-${r.severity}`}>{r.severity}</span>
            <div className="muted mono">{r.id}</div>
          </td>
          <td>{describeCondition(r)}</td>
          <td>{scopeOf(r)}</td>
          <td>
            for {r.forSeconds} s<div className="muted">resolves after {r.resolveAfterSeconds} s</div>
          </td>
          <td>
            {addedBy.has(r.id) ? (
              <>
                <div className="muted">added by {addedBy.get(r.id)}</div>
                {canChange ? <RemoveRuleButton id={r.id} /> : null}
              </>
            ) : (
              <span className="muted">file</span>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
