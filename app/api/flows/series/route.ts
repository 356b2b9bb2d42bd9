import { getEdgeDetail } from '@/lib/analytics/edge-detail';
import { BadRequestError } from '@/lib/http/errors';
import { param } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/flows/series?edge=<edge id>&from=1h&to=now&step=1m — one edge over
 * time (messages, errors, p50/p95/p99 per step), its latency histogram and its
 * slowest recent messages (linking to their journeys).
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const edge = param(params, 'edge', 2048);
    if (!edge) throw new BadRequestError('edge is required: an edge id from GET /api/flows');
    const range = parseTimeRange(params.get('from'), params.get('to'));
    return Response.json(
      await getEdgeDetail(await getStore(), range, edge, parseStep(params.get('step'), range)),
    );
  } catch (error) {
    return errorResponse(error, 'edge series query');
  }
}
