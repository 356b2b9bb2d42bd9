import { type AlertRule, describeCondition } from '@/lib/alerts/rule';

const scopeOf = ({ scope }: AlertRule) =>
  [scope.system, scope.destination, scope.group && `group ${scope.group}`].filter(Boolean).join(' · ') ||
  'everything';

/** The configured rules, as the rules file says them. */
export function RuleTable({ rules }: { rules: readonly AlertRule[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">When</th>
            <th scope="col">On</th>
            <th scope="col">For</th>
            <th scope="col">Resolves after</th>
            <th scope="col">Severity</th>
          </tr>
        </thead>
        <tbody>
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
        </tbody>
      </table>
    </div>
  );
}
