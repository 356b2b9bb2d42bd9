import { authorizeRequest } from '@/lib/auth/guard';
import { getAnomalies } from '@/lib/analytics/anomalies';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { anomaliesQuery } from '@/lib/http/schemas/anomalies';
import { parseTimeRange } from '@/lib/analytics/time-range';
import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/anomalies?from=1h&to=now — duplicates, out-of-order processing, retries and redeliveries per consumer. */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { from, to } = parseQuery(request, anomaliesQuery);
    const range = parseTimeRange(from, to);
    return Response.json(await getAnomalies(await getStore(), range));
  } catch (error) {
    return errorResponse(error, 'anomalies query');
  }
}
