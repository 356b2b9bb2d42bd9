import { getLatencyReport } from '@/lib/analytics/latency';
import { errorResponse } from '@/lib/http/respond';
import { parseCompareTo, parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/latency?from=1h&to=now&compareTo=1d — end-to-end latency per
 * pathway and latency per edge, each number with its source (metrics or
 * spans); with compareTo, the same figures for an earlier window.
 */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const range = parseTimeRange(params.get('from'), params.get('to'));
    const compare = parseCompareTo(params.get('compareTo'), range);
    return Response.json(await getLatencyReport(await getStore(), range, compare));
  } catch (error) {
    return errorResponse(error, 'latency query');
  }
}
