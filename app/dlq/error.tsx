'use client';

/** Shown when the DLQ page fails (a broker unreachable, the job store unavailable). */
export default function DlqError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="panel empty" role="alert">
      <h2>Dead letters could not be loaded</h2>
      <p>{error.message || 'Reading the dead-letter queues failed; the dashboard log has the details.'}</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
