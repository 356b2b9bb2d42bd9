// Next.js start-up hook (https://nextjs.org/docs/app/guides/instrumentation).
// Not to be confused with the instrumentation/ package folder. In the Node.js
// runtime of a running server (never during `next build`), it validates the
// configuration (a bad value stops the dashboard with a message naming the
// key), opens the store (so crash recovery and retention run at start, not on
// the first request), starts the OTLP/HTTP listener on :4318, lag polling and
// interrupted replay jobs.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { exitOnBadConfig } = await import('./lib/config-check');
  exitOnBadConfig();
  const { getStore } = await import('./lib/store');
  await getStore().catch((error: unknown) => {
    console.error('signalbox: the store could not be opened; ingest will answer 503 until it can', error);
  });
  const { startConfiguredOtlpListener } = await import('./lib/ingest/otlp-listener');
  await startConfiguredOtlpListener();
  // Lag history accrues from start, not from the first visit to the Lag page;
  // replay jobs a crash interrupted resume now. Neither stops the dashboard.
  const { getLagPoller } = await import('./lib/lag');
  getLagPoller().catch((error: unknown) => console.error('signalbox: lag polling did not start', error));
  const { getDlqServices } = await import('./lib/dlq');
  getDlqServices().catch((error: unknown) =>
    console.error('signalbox: dead-letter services did not start', error),
  );
}
