'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { ROLES } from '@/lib/model/access';
import { errorOf } from '@/components/dlq/operator-fetch';

const list = (value: FormDataEntryValue | null) =>
  (typeof value === 'string' ? value : '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** Creates a token and shows its secret once: it is stored hashed and cannot be shown again. */
export function CreateTokenForm() {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const systems = list(form.get('systems'));
    const destinations = list(form.get('destinations'));
    const response = await fetch('/api/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: form.get('name'),
        role: form.get('role'),
        expiresInDays: Number(form.get('days')),
        ...(systems.length ? { systems } : {}),
        ...(destinations.length ? { destinations } : {}),
      }),
    });
    if (!response.ok) {
      setError(await errorOf(response));
      return;
    }
    setSecret(((await response.json()) as { secret: string }).secret);
    router.refresh();
  }

  return (
    <form className="token-form" onSubmit={(event) => void create(event)}>
      <label>
        Name <input name="name" required maxLength={100} placeholder="ci-replays" />
      </label>
      <label>
        Role{' '}
        <select name="role" defaultValue="viewer">
          {ROLES.map((role) => (
            <option key={role}>{role}</option>
          ))}
        </select>
      </label>
      <label>
        Systems <input name="systems" placeholder="all (or rabbitmq, kafka)" />
      </label>
      <label>
        Destinations <input name="destinations" placeholder="all (or payments.*)" />
      </label>
      <label>
        Expires in (days) <input name="days" type="number" min={1} max={366} defaultValue={90} required />
      </label>
      <button type="submit" className="button">
        Create token
      </button>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {secret ? (
        <p role="status" className="notice">
          Copy it now, it is not shown again: <code className="mono">{secret}</code>
        </p>
      ) : null}
    </form>
  );
}

export function RevokeButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function revoke() {
    if (!window.confirm(`Revoke the token ${name}? Automation using it is refused from now on.`)) return;
    const response = await fetch(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!response.ok) setError(await errorOf(response));
    else router.refresh();
  }
  return (
    <>
      <button type="button" className="button" onClick={() => void revoke()}>
        Revoke
      </button>
      {error ? <span className="error-text"> {error}</span> : null}
    </>
  );
}
