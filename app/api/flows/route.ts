import { getFlowGraph } from '@/lib/analytics/flows';
import { TimeRangeError, parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** GET /api/flows?from=15m&to=now — services, destinations and the edges between them. */
export async function GET(request: Request): Promise<Response> {
  const params = new URL(request.url).searchParams;
  try {
    const range = parseTimeRange(params.get('from'), params.get('to'));
    return Response.json(await getFlowGraph(await getStore(), range));
  } catch (error) {
    if (error instanceof TimeRangeError) return Response.json({ error: error.message }, { status: 400 });
    console.error('flows query failed', error);
    return Response.json({ error: 'the flows query failed; see the dashboard log' }, { status: 500 });
  }
}
