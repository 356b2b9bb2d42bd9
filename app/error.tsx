'use client';

/** Any page whose data could not be loaded: what happened and a retry, never a stack trace. */
export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="panel empty" role="alert">
      <h1>This page could not be loaded</h1>
      <p>The query behind it failed; the dashboard log has the details. Other pages may still work.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
