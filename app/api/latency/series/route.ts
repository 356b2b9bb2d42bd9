import { authorizeRequest } from '@/lib/auth/guard';
import { getEdgeLatencySeries, getPathwayLatencySeries } from '@/lib/analytics/latency-series';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { latencySeriesQuery } from '@/lib/http/schemas/latency';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { flowSources } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/latency/series?pathway=<id>|edge=<id>&from&to&step — p50/p95/p99 over time. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { pathway, edge, from, to, step: stepText } = parseQuery(request, latencySeriesQuery);
    const range = parseTimeRange(from, to);
    const step = parseStep(stepText, range);
    const sources = await flowSources();
    return Response.json(
      pathway !== undefined
        ? await getPathwayLatencySeries(sources.store, range, pathway, step)
        : await getEdgeLatencySeries(sources, range, edge!, step),
    );
  } catch (error) {
    return errorResponse(error, 'latency series query');
  }
}
