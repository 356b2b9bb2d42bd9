import { renderPrometheus } from '@/lib/analytics/prometheus';
import { ingestStats } from '@/lib/ingest/ingest-stats';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** GET /metrics — Prometheus text exposition: per-edge throughput, errors and latency histograms, ingest health. */
export async function GET(): Promise<Response> {
  try {
    const store = await getStore();
    const body = renderPrometheus(await store.liveTotals(), ingestStats(), await store.stats());
    return new Response(body, { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
  } catch (error) {
    console.error('metrics exposition failed', error);
    return new Response('# the store is unavailable; see the dashboard log\n', { status: 503 });
  }
}
