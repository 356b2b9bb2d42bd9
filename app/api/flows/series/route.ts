import { authorizeRequest } from '@/lib/auth/guard';
import { getEdgeDetail } from '@/lib/analytics/edge-detail';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { edgeSeriesQuery } from '@/lib/http/schemas/flows';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { flowSources } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/flows/series?edge=<edge id>&from=1h&to=now&step=1m — one edge over
 * time (messages, errors, p50/p95/p99 per step), its latency histogram and its
 * slowest recent messages (linking to their journeys).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { edge, from, to, step } = parseQuery(request, edgeSeriesQuery);
    const range = parseTimeRange(from, to);
    // The step is checked before the store is opened: a bad query touches nothing.
    const stepUs = parseStep(step, range);
    return Response.json(await getEdgeDetail(await flowSources(), range, edge, stepUs));
  } catch (error) {
    return errorResponse(error, 'edge series query');
  }
}
