import { authorizeRequest } from '@/lib/auth/guard';
import { getFlowGraph } from '@/lib/analytics/flows';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { flowsQuery } from '@/lib/http/schemas/flows';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { flowSources } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/flows?from=15m&to=now — services, destinations, consumer groups and the edges between them. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { from, to } = parseQuery(request, flowsQuery);
    const range = parseTimeRange(from, to);
    return Response.json(await getFlowGraph(await flowSources(), range));
  } catch (error) {
    return errorResponse(error, 'flows query');
  }
}
