import { DataTable } from '@/components/data-table';
import Link from 'next/link';
import type { AlertState } from '@/lib/alerts/alert-state';
import type { AlertSilence } from '@/lib/alerts/alert-store';
import type { AlertRule } from '@/lib/alerts/rule';
import { silenceOf } from '@/lib/alerts/silences';
import { AlertActions } from './alert-actions';
import { clock } from './format';

/** Alerts now: firing first, each linked to the page that explains it. */
export function AlertTable({
  states,
  rules,
  silences,
  canChange,
}: {
  states: AlertState[];
  rules: readonly AlertRule[];
  silences: readonly AlertSilence[];
  /** Offer acknowledge and silence (operators; without sign-in, the operator token is asked for). */
  canChange: boolean;
}) {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const now = Date.now();
  const silenced = (s: AlertState) => silenceOf(silences, s.ruleId, s.subject, now);
  const sorted = [...states].sort((a, b) =>
    a.phase === b.phase ? a.breachSinceMs - b.breachSinceMs : a.phase === 'firing' ? -1 : 1,
  );
  return (
    <DataTable
      label="Alerts firing and pending"
      columns={['State', 'Rule', 'Where', 'Now', 'Since', ...(canChange ? ['Actions'] : [])]}
    >
      {sorted.map((s) => {
        const rule = byId.get(s.ruleId);
        return (
          <tr key={`${s.ruleId} ${s.subject}`}>
            <td>
              <span
                className={`badge alert-${s.phase === 'firing' ? (rule?.severity ?? 'warning') : 'pending'}`}
              >
                {s.phase === 'firing' ? `firing · ${rule?.severity ?? 'warning'}` : 'pending'}
              </span>
              {s.clearSinceMs !== null ? <div className="muted">recovering</div> : null}
              {silenced(s) ? <div className="muted">silenced until {clock(silenced(s)!.endsMs)}</div> : null}
            </td>
            <td>
              {rule?.name ?? s.ruleId}
              {s.ackedBy ? (
                <div className="muted">
                  {s.ackedBy} is on it (since {clock(s.ackedMs!)})
                </div>
              ) : null}
            </td>
            <td>
              <Link href={s.href} className="mono">
                {s.subject}
              </Link>
            </td>
            <td>{s.value}</td>
            <td>
              {s.firedAtMs !== null ? <div>fired {clock(s.firedAtMs)}</div> : null}
              <div className="muted">breaching since {clock(s.breachSinceMs)}</div>
            </td>
            {canChange ? (
              <td>
                {s.phase === 'firing' ? (
                  <AlertActions ruleId={s.ruleId} subject={s.subject} acked={s.ackedBy !== null} />
                ) : null}
              </td>
            ) : null}
          </tr>
        );
      })}
    </DataTable>
  );
}
