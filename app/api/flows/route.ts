import { getFlowGraph } from '@/lib/analytics/flows';
import { errorResponse } from '@/lib/http/respond';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/flows?from=15m&to=now — services, destinations, consumer groups and the edges between them. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const range = parseTimeRange(params.get('from'), params.get('to'));
    return Response.json(await getFlowGraph(await getStore(), range));
  } catch (error) {
    return errorResponse(error, 'flows query');
  }
}
