import { startRuntime } from '@/lib/runtime';

/**
 * The dashboard's runtime (lib/runtime.ts) in its own process, configured by
 * the environment as in production and with its signal handlers, minus the
 * Next server: for the shutdown test, which sends it SIGTERM mid-ingest.
 * Prints `{"started": true}` once the store is open and OTLP is received.
 */
export async function main(): Promise<void> {
  await startRuntime();
  process.stdout.write(`${JSON.stringify({ started: true })}\n`);
}
