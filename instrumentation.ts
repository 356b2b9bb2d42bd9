// Next.js start-up hook (https://nextjs.org/docs/app/guides/instrumentation).
// Not to be confused with the instrumentation/ package folder. In the Node.js
// runtime of a running server (never during `next build`), it starts the
// dashboard's runtime (lib/runtime.ts): configuration, store, OTLP listener,
// lag polling and dead-letter services.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startRuntime } = await import('./lib/runtime');
  await startRuntime();
}
