'use client';

import { useChange } from './use-change';

/** Acknowledge (someone is on it) or silence (no notifications for a while) one firing alert. */
export function AlertActions({
  ruleId,
  subject,
  acked,
}: {
  ruleId: string;
  subject: string;
  acked: boolean;
}) {
  const { run, busy, shown } = useChange();
  const silence = () => {
    const reason = window.prompt(`Silence ${subject} for one hour: why? (shown with the silence)`)?.trim();
    if (reason)
      void run('/api/alerts/silences', { method: 'POST', body: { ruleId, subject, minutes: 60, reason } });
  };
  return (
    <span className="row-actions">
      {acked ? null : (
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() =>
            void run('/api/alerts/acknowledgements', { method: 'POST', body: { ruleId, subject } })
          }
        >
          Acknowledge
        </button>
      )}
      <button type="button" className="button" disabled={busy} onClick={silence}>
        Silence 1 h
      </button>
      {shown}
    </span>
  );
}

/** Ends a silence now: notifications of matching alerts resume. */
export function EndSilenceButton({ id }: { id: string }) {
  const { run, busy, shown } = useChange();
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void run(`/api/alerts/silences/${encodeURIComponent(id)}`, { method: 'DELETE' })}
      >
        End now
      </button>
      {shown}
    </>
  );
}
