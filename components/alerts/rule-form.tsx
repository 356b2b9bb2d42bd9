'use client';

import type { FormEvent } from 'react';
import { ALERT_KINDS, SEVERITIES } from '@/lib/alerts/rule';
import { useChange } from './use-change';

const text = (form: FormData, key: string) => {
  const value = form.get(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Adds a rule as the rules file would write it; the server validates it with the file's schema and
 * says what is wrong. Keys the form leaves out (statuses, percentile, labels…) take their defaults.
 */
export function NewRuleForm() {
  const { run, busy, shown } = useChange();
  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const threshold = text(form, 'threshold');
    const body = {
      id: text(form, 'id'),
      name: text(form, 'name'),
      kind: text(form, 'kind'),
      system: text(form, 'system'),
      destination: text(form, 'destination'),
      group: text(form, 'group'),
      threshold: threshold === undefined ? undefined : Number(threshold),
      window: text(form, 'window'),
      for: text(form, 'for') ?? 0,
      severity: text(form, 'severity'),
    };
    if (await run('/api/alerts/rules', { method: 'POST', body })) element.reset();
  }

  return (
    <form className="token-form" onSubmit={(event) => void add(event)}>
      <label>
        Id <input name="id" required placeholder="billing-behind" pattern="[a-z0-9][a-z0-9-]*" />
      </label>
      <label>
        Name <input name="name" required placeholder="Billing is behind" />
      </label>
      <label>
        Kind
        <select name="kind" defaultValue="lag-seconds">
          {ALERT_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        System <input name="system" placeholder="any (or kafka)" />
      </label>
      <label>
        Destination <input name="destination" placeholder="any (or orders.*)" />
      </label>
      <label>
        Group <input name="group" placeholder="any" />
      </label>
      <label>
        Threshold <input name="threshold" type="number" step="any" min={0} placeholder="60" />
      </label>
      <label>
        Window <input name="window" placeholder="5m" />
      </label>
      <label>
        For <input name="for" placeholder="0s" />
      </label>
      <label>
        Severity
        <select name="severity" defaultValue="warning">
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={busy}>
        Add rule
      </button>
      {shown}
    </form>
  );
}

/** Removes a rule added on this page (a file rule is changed in the file). */
export function RemoveRuleButton({ id }: { id: string }) {
  const { run, busy, shown } = useChange();
  const remove = () => {
    if (window.confirm(`Remove the rule ${id}? Its alerts go without a notification.`))
      void run(`/api/alerts/rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
  };
  return (
    <>
      <button type="button" className="button" disabled={busy} onClick={remove}>
        Remove
      </button>
      {shown}
    </>
  );
}
