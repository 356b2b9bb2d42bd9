'use client';

/** Shown when the Lag page fails (its history store unavailable, an unexpected error). */
export default function LagError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <section className="panel empty" role="alert">
      <h2>Lag could not be loaded</h2>
      <p>{error.message || 'Reading lag failed; the dashboard log has the details.'}</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
