import { getEdgeLatencySeries, getPathwayLatencySeries } from '@/lib/analytics/latency-series';
import { BadRequestError } from '@/lib/http/errors';
import { param } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/latency/series?pathway=<id>|edge=<id>&from&to&step — p50/p95/p99 over time. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const pathway = param(params, 'pathway');
    const edge = param(params, 'edge', 2048);
    if ((pathway === null) === (edge === null)) {
      throw new BadRequestError(
        'give exactly one of pathway (an id from GET /api/latency) or edge (from GET /api/flows)',
      );
    }
    const range = parseTimeRange(params.get('from'), params.get('to'));
    const step = parseStep(params.get('step'), range);
    const store = await getStore();
    return Response.json(
      pathway !== null
        ? await getPathwayLatencySeries(store, range, pathway, step)
        : await getEdgeLatencySeries(store, range, edge!, step),
    );
  } catch (error) {
    return errorResponse(error, 'latency series query');
  }
}
