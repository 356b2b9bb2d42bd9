import type { Metadata } from 'next';
import { AlertTable } from '@/components/alerts/alert-table';
import { NotificationTable } from '@/components/alerts/notification-table';
import { NewRuleForm } from '@/components/alerts/rule-form';
import { RuleTable } from '@/components/alerts/rule-table';
import { SilenceTable } from '@/components/alerts/silence-table';
import { Forbidden } from '@/components/layout/forbidden';
import { pageAccess } from '@/lib/auth/page-access';
import { offers } from '@/lib/auth/principal';
import { config, getAlerts } from '@/lib/runtime';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

/** Alerts firing and pending, the rules behind them, and what was sent where. */
export default async function AlertsPage() {
  const { principal, denied } = await pageAccess('/alerts', 'view');
  if (denied) return <Forbidden title="Alerts" reason={denied} />;
  const canChange = offers(principal, 'change');
  const { evaluator, store } = await getAlerts();
  const [rules, added, states, silences, notifications] = await Promise.all([
    evaluator.rules(),
    store.storedRules(),
    store.states(),
    store.activeSilences(Date.now()),
    store.recent(50),
  ]);
  const { channels, intervalMs } = config().alerts;
  const addedBy = new Map(added.map((a) => [a.rule.id, a.createdBy]));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">
            {rules.length === 0
              ? 'No alert rules yet.'
              : `${rules.length} rule${rules.length === 1 ? '' : 's'}, evaluated every ${intervalMs / 1000} s on the lag, dead-letter and telemetry figures the dashboard holds. `}
            {channels.length === 0
              ? 'No notification channel is configured: alerts show here only.'
              : `Notifications go to ${channels.map((c) => c.name).join(' and ')}.`}
          </p>
        </div>
      </div>
      <section className="panel" aria-labelledby="active-title">
        <h2 id="active-title">Firing and pending</h2>
        {states.length === 0 ? (
          <p className="muted">
            {rules.length === 0 ? (
              <>
                Add a rule below, or set <code>SIGNALBOX_ALERT_RULES_FILE</code> to a YAML file of rules
                (“Alerts” in the README, and <code>examples/alert-rules.yaml</code>).
              </>
            ) : (
              'Nothing is firing or pending.'
            )}
          </p>
        ) : (
          <AlertTable states={states} rules={rules} silences={silences} canChange={canChange} />
        )}
      </section>
      {silences.length > 0 ? (
        <section className="panel" aria-labelledby="silences-title">
          <h2 id="silences-title">Silences</h2>
          <SilenceTable silences={silences} rules={rules} canChange={canChange} />
        </section>
      ) : null}
      {rules.length > 0 ? (
        <section className="panel" aria-labelledby="rules-title">
          <h2 id="rules-title">Rules</h2>
          <RuleTable rules={rules} addedBy={addedBy} canChange={canChange} />
        </section>
      ) : null}
      {canChange ? (
        <section className="panel" aria-labelledby="new-rule-title">
          <h2 id="new-rule-title">New rule</h2>
          <NewRuleForm />
        </section>
      ) : null}
      <section className="panel" aria-labelledby="sent-title">
        <h2 id="sent-title">Notifications</h2>
        {notifications.length === 0 ? (
          <p className="muted">Nothing has been sent yet.</p>
        ) : (
          <NotificationTable notifications={notifications} rules={rules} />
        )}
      </section>
    </>
  );
}
