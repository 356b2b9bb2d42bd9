import { authorizeRequest } from '@/lib/auth/guard';
import { getLatencyReport } from '@/lib/analytics/latency';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { latencyQuery } from '@/lib/http/schemas/latency';
import { parseCompareTo, parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/latency?from=1h&to=now&compareTo=1d — end-to-end latency per
 * pathway and latency per edge, each number with its source (metrics or
 * spans); with compareTo, the same figures for an earlier window.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { from, to, compareTo } = parseQuery(request, latencyQuery);
    const range = parseTimeRange(from, to);
    const compare = parseCompareTo(compareTo, range);
    return Response.json(await getLatencyReport(await getStore(), range, compare));
  } catch (error) {
    return errorResponse(error, 'latency query');
  }
}
