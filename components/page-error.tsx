'use client';

export interface SegmentErrorProps {
  error: Error & { digest?: string };
  reset: () => void;
}

/**
 * What every route segment's error.tsx shows: what could not be loaded, why
 * when the browser knows it, and a retry — never a stack trace. Errors thrown
 * on the server reach the browser without their message (Next.js keeps it in
 * the dashboard log), so those get the log reference instead.
 */
export function PageError({ what, hint, error, reset }: SegmentErrorProps & { what: string; hint?: string }) {
  const reason = error.digest
    ? `The dashboard log has the details (reference ${error.digest}).`
    : error.message || 'The dashboard log has the details.';
  return (
    <section className="panel empty" role="alert">
      <h2>{what} could not be loaded</h2>
      <p>{reason}</p>
      {hint ? <p className="muted">{hint}</p> : null}
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
