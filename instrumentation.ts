// Next.js start-up hook (https://nextjs.org/docs/app/guides/instrumentation).
// Not to be confused with the instrumentation/ package folder. In the Node.js
// runtime of a running server (never during `next build`), it starts the
// dashboard's runtime (lib/runtime.ts): configuration, store, OTLP listener,
// lag polling and dead-letter services.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  // Next exits on SIGTERM/SIGINT once its HTTP server closes, before the store
  // has written what ingest accepted; with this set, lib/runtime.ts handles the
  // signals instead (scripts/start.mjs and the Dockerfile set it; `next dev` ignores it).
  if (!process.env.NEXT_MANUAL_SIG_HANDLE && process.env.NODE_ENV === 'production')
    console.warn(
      'signalbox: NEXT_MANUAL_SIG_HANDLE is not set, so Next may exit on SIGTERM before the store is drained; ' +
        'start with scripts/start.mjs or set NEXT_MANUAL_SIG_HANDLE=true',
    );
  const { startRuntime } = await import('./lib/runtime');
  await startRuntime();
}
