'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { DryRun, JobView } from '@/lib/dlq';
import type { DlqFilter } from '@/lib/dlq/filter';
import { errorOf, operatorFetch } from './operator-fetch';

type Scope = { label: string; body: { all: true } | { filter: DlqFilter } | { messageIds: string[] } };

/**
 * Dry run → confirm → replay with live progress, for the current filter/group or the whole queue.
 * A started job's id goes into the address (`replay=`): the page re-renders every few seconds while
 * Live, and a replay that empties the queue (or takes the open message) would otherwise lose its
 * progress with this panel; `jobId` brings it back, after a reload too.
 */
export function ReplayPanel({
  queueId,
  scopes,
  jobId,
}: {
  queueId: string;
  scopes: Scope[];
  jobId?: string;
}) {
  const router = useRouter();
  const [scopeIndex, setScopeIndex] = useState(0);
  const [target, setTarget] = useState('');
  const [rate, setRate] = useState('');
  const [dry, setDry] = useState<DryRun | null>(null);
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scope = scopes[scopeIndex] ?? scopes[0];

  const request = (dryRun: boolean) => ({
    ...scope?.body,
    dryRun,
    ...(target.trim() ? { target: target.trim() } : {}),
    ...(Number(rate) > 0 ? { ratePerSecond: Number(rate) } : {}),
  });

  async function send(dryRun: boolean) {
    setBusy(true);
    setError(null);
    try {
      const response = await operatorFetch(`/api/dlq/${encodeURIComponent(queueId)}/replay`, {
        method: 'POST',
        body: request(dryRun),
      });
      if (!response.ok) throw new Error(await errorOf(response));
      const result = (await response.json()) as DryRun | JobView;
      if ('dryRun' in result) setDry(result);
      else {
        setDry(null);
        setJob(result);
        const address = new URL(window.location.href);
        address.searchParams.set('replay', result.id);
        router.replace(`${address.pathname}${address.search}`, { scroll: false });
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (!jobId) return;
    void fetch(`/api/replays/${encodeURIComponent(jobId)}`)
      .then((r) => (r.ok ? (r.json() as Promise<JobView>) : null))
      .then((found) => {
        if (found) setJob((current) => current ?? found);
      });
  }, [jobId]);

  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  useEffect(() => {
    if (!job || !running) return;
    const timer = setInterval(() => {
      void fetch(`/api/replays/${job.id}`)
        .then((r) => (r.ok ? (r.json() as Promise<JobView>) : null))
        .then((next) => {
          if (!next) return;
          // No automatic refresh: it would re-render the page without this panel once the queue is empty.
          setJob(next);
        });
    }, 700);
    return () => clearInterval(timer);
  }, [job, running, router]);

  const handled = job ? job.counts.replayed + job.counts.poison + job.counts.skipped : 0;
  return (
    <section className="panel dlq-replay" aria-labelledby="dlq-replay-title">
      <h2 id="dlq-replay-title">Replay</h2>
      <div className="dlq-filters">
        <label className="dlq-field">
          <span>Messages</span>
          <select value={scopeIndex} onChange={(e) => (setScopeIndex(Number(e.target.value)), setDry(null))}>
            {scopes.map((s, i) => (
              <option key={s.label} value={i}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="dlq-field">
          <span>Target (empty = original destination)</span>
          <input
            value={target}
            onChange={(e) => (setTarget(e.target.value), setDry(null))}
            placeholder="from the headers"
          />
        </label>
        <label className="dlq-field">
          <span>Rate (messages/s, empty = unlimited)</span>
          <input
            value={rate}
            inputMode="numeric"
            onChange={(e) => (setRate(e.target.value), setDry(null))}
            placeholder="e.g. 100"
          />
        </label>
        <button type="button" className="button" disabled={busy || running} onClick={() => void send(true)}>
          Dry run
        </button>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {dry ? (
        <div className="dlq-dry" role="status" aria-label="Dry run result">
          <p>
            <strong>{dry.messages.toLocaleString('en-US')}</strong> message(s) would be replayed to{' '}
            {Object.entries(dry.targets)
              .map(([t, n]) => `${t} (${n})`)
              .join(', ') || 'nowhere'}
            {dry.poison ? `; ${dry.poison} poison (replayed too often) stay` : ''}
            {dry.skipped ? `; ${dry.skipped} without a known destination stay` : ''}
            {dry.truncated ? ' (the queue holds more than was read)' : ''}.
          </p>
          <p className="muted">
            Headers removed: {dry.headerDiff.removed.join(', ') || 'none'}. Added:{' '}
            {Object.entries(dry.headerDiff.added)
              .map(([k, v]) => `${k} ${v}`)
              .join('; ')}
            .
          </p>
          <button
            type="button"
            className="button"
            disabled={busy || dry.messages + dry.poison + dry.skipped === 0}
            onClick={() => void send(false)}
          >
            Confirm replay of {dry.messages.toLocaleString('en-US')}
          </button>
        </div>
      ) : null}
      {job ? (
        <div role="status" aria-live="polite" aria-label="Replay progress">
          <p>
            Job <span className="mono">{job.id.slice(0, 8)}</span>:{' '}
            <strong data-testid="replay-status">{job.status}</strong> — {job.counts.replayed} replayed,{' '}
            {job.counts.poison} poison, {job.counts.skipped} skipped of {job.expected}
            {job.error ? ` — ${job.error}` : ''}
          </p>
          <progress
            max={Math.max(job.expected, 1)}
            value={Math.min(handled, Math.max(job.expected, 1))}
            aria-label="Replay progress"
          />
          {running ? null : (
            <button type="button" className="button" onClick={() => router.refresh()}>
              Reload the queue
            </button>
          )}
        </div>
      ) : null}
    </section>
  );
}
