'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { DryRun, JobView } from '@/lib/dlq';
import { errorOf, operatorFetch } from './operator-fetch';

/** Replay, edit-and-replay, or delete one message, each behind a confirmation. */
export function MessageActions({
  queueId,
  messageId,
  body,
  canDelete,
}: {
  queueId: string;
  messageId: string;
  body: string | null;
  canDelete: boolean;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(body ?? '');
  const [note, setNote] = useState<string | null>(null);
  const base = `/api/dlq/${encodeURIComponent(queueId)}`;

  async function replay(editedBody?: string) {
    setNote(null);
    try {
      const preview = await operatorFetch(`${base}/replay`, {
        method: 'POST',
        body: { messageIds: [messageId], dryRun: true },
      });
      if (!preview.ok) throw new Error(await errorOf(preview));
      const dry = (await preview.json()) as DryRun;
      const to = Object.keys(dry.targets)[0];
      if (!to)
        throw new Error(
          dry.poison
            ? 'This message was replayed too often (poison guard).'
            : 'No original destination: choose a target in the Replay panel.',
        );
      if (!window.confirm(`${editedBody === undefined ? 'Replay' : 'Replay the EDITED'} message to ${to}?`))
        return;
      const response = await operatorFetch(`${base}/replay`, {
        method: 'POST',
        body: { messageIds: [messageId], ...(editedBody === undefined ? {} : { editedBody }) },
      });
      if (!response.ok) throw new Error(await errorOf(response));
      const job = (await response.json()) as JobView;
      setNote(`Replay job ${job.id.slice(0, 8)} started.`);
      setTimeout(() => router.refresh(), 1500);
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    }
  }

  async function remove() {
    if (
      !window.confirm(
        'Delete this message from the dead-letter queue? This cannot be undone (the audit log keeps a copy).',
      )
    )
      return;
    const response = await operatorFetch(`${base}/messages/${encodeURIComponent(messageId)}`, {
      method: 'DELETE',
    });
    if (!response.ok) setNote(await errorOf(response));
    else router.refresh();
  }

  return (
    <div className="dlq-actions">
      <button type="button" className="button" onClick={() => void replay()}>
        Replay this message
      </button>
      {body !== null ? (
        <button type="button" className="button" onClick={() => setEditing(!editing)} aria-expanded={editing}>
          Edit and replay
        </button>
      ) : null}
      {canDelete ? (
        <button type="button" className="button" onClick={() => void remove()}>
          Delete
        </button>
      ) : null}
      {editing ? (
        <div className="dlq-edit">
          <label className="dlq-field">
            <span>New payload</span>
            <textarea value={draft} onChange={(e) => setDraft(e.target.value)} rows={10} />
          </label>
          <button type="button" className="button" onClick={() => void replay(draft)}>
            Replay edited
          </button>
        </div>
      ) : null}
      {note ? <p role="status">{note}</p> : null}
    </div>
  );
}
