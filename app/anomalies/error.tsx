'use client';

export default function AnomaliesError({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="panel empty" role="alert">
      <h2>Anomalies could not be loaded</h2>
      <p>The query failed; the dashboard log has the details.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
