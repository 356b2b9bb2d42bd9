import { authorizeRequest } from '@/lib/auth/guard';
import { AccessError } from '@/lib/auth/access-error';
import { errorResponse } from '@/lib/http/respond';
import { renderPrometheus } from '@/lib/analytics/prometheus';
import { ingestStats } from '@/lib/ingest/ingest-stats';
import { lagMetrics } from '@/lib/lag';
import { getStore } from '@/lib/runtime';
import { latestLag } from '@/lib/ui/lag-snapshot';

export const dynamic = 'force-dynamic';

/**
 * GET /metrics — Prometheus text exposition: per-edge throughput, errors and
 * latency histograms, ingest health, and consumer lag (from the poller's last
 * snapshot, so a slow broker never delays a scrape).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const store = await getStore();
    const lag = await latestLag();
    const body =
      renderPrometheus(await store.liveTotals(), ingestStats(), await store.stats()) +
      (lag ? lagMetrics(lag) : '');
    return new Response(body, { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
  } catch (error) {
    if (error instanceof AccessError) return errorResponse(error, 'metrics');
    console.error('metrics exposition failed', error);
    return new Response('# the store is unavailable; see the dashboard log\n', { status: 503 });
  }
}
