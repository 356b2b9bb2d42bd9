'use client';

import { type FormEvent, useState } from 'react';
import { useRouter } from 'next/navigation';
import { errorOf, operatorFetch } from '@/components/dlq/operator-fetch';
import { ALERT_KINDS, SEVERITIES } from '@/lib/alerts/rule';

const text = (form: FormData, key: string) => {
  const value = form.get(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * Adds a rule as the rules file would write it; the server validates it with the file's schema and
 * says what is wrong. Keys the form leaves out (statuses, percentile, labels…) take their defaults.
 */
export function NewRuleForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
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
    try {
      const response = await operatorFetch('/api/alerts/rules', { method: 'POST', body });
      if (!response.ok) setError(await errorOf(response));
      else {
        (event.target as HTMLFormElement).reset();
        router.refresh();
      }
    } catch (failure) {
      setError((failure as Error).message);
    }
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
      <button type="submit" className="button">
        Add rule
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Removes a rule added on this page (a file rule is changed in the file). */
export function RemoveRuleButton({ id }: { id: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    if (!window.confirm(`Remove the rule ${id}? Its alerts go without a notification.`)) return;
    try {
      const response = await operatorFetch(`/api/alerts/rules/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      });
      if (!response.ok) setError(await errorOf(response));
      else router.refresh();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }
  return (
    <>
      <button type="button" className="button" onClick={() => void remove()}>
        Remove
      </button>
      {error ? <span className="error-text"> {error}</span> : null}
    </>
  );
}
