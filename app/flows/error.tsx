'use client';

/** Shown when the flows query fails (bad time range, store unavailable). */
export default function FlowsError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="panel empty" role="alert">
      <h2>Flows could not be loaded</h2>
      <p>{error.message || 'The query failed; the dashboard log has the details.'}</p>
      <p className="muted">Check the time range in the address bar (ISO-8601 or relative, like 15m).</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
